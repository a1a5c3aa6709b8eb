#pragma once
// The page's files (apps/web/page/: HTML, CSS, JS), compiled into the binary at build time by
// cmake/EmbedPageAssets.cmake, so `earshot serve` needs no files beside it and the page works
// offline (no CDN). Served by exact path from this table only.
#include <string_view>
#include <vector>

namespace earshot::web {

struct PageAsset {
  std::string_view path;          // "/index.html", "/audiogram_editor.js", ...
  std::string_view content_type;  // from the file's extension
  std::string_view bytes;
};

const std::vector<PageAsset>& page_assets();

}  // namespace earshot::web
