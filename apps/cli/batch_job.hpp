#pragma once
// `earshot batch MANIFEST --out FOLDER`: every row of a manifest (batch/batch_manifest.hpp) rendered
// as `earshot render` renders it, and scored (batch/batch_scores.hpp). The CLI and the Python
// package's batch (and so its Dask workers) call the same run_row().
//
//  - Each output is written to a temporary file beside it and renamed when complete
//    (apps/cli/output_set.hpp), so a partial file never has a final name, whatever kills the run.
//  - Resumable: a row whose complete output is already there is skipped (and scored again from the
//    files). "Complete": the file opens as audio, its header's frame count can all be read, and it
//    has the input's sample rate and frame count (a render is exactly as long as its input).
//  - A failed row (missing or corrupt input, unknown listener, a reference of another length) is
//    reported with its error, and the other rows go on.
//  - --jobs N runs rows on N threads; a row's output depends only on the row (its seed comes from
//    the manifest and its output name, batch/batch_row.hpp), so any N gives the same bytes.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "batch/batch_row.hpp"
#include "batch/batch_scores.hpp"
#include "hearing_loss/hearing_loss_design_cache.hpp"

namespace earshot::cli {

// The rows of a manifest, planned against `out_folder`. Throws CliError(kExitUsage) naming every
// problem of the manifest (by line and column) before anything is run.
std::vector<BatchRowPlan> plan_manifest(const std::filesystem::path& manifest, const std::filesystem::path& out_folder);

// Whether `plan`'s output is already complete (see above). Never throws.
bool batch_output_complete(const BatchRowPlan& plan);

// Renders (or skips) and scores one row. Never throws: a failure is the result's status and error.
// The output's folder (a subfolder an output cell names) is made if missing. `designs` (optional)
// shares hearing-loss designs between rows of one listener and rate: the same bytes, designed once.
// A rendered row is scored from the samples it rendered (a float32 output holds exactly those), a
// skipped one (or an integer output) from its files.
BatchRowResult run_row(const BatchRowPlan& plan, HearingLossDesignCache* designs = nullptr);

struct BatchProgress {
  std::size_t done = 0, total = 0, failed = 0;
  double elapsed_s = 0.0;
};

struct BatchRun {
  int jobs = 1;
  // Called after each row, from the thread that ran it, one call at a time (under a lock).
  std::function<void(const BatchRowResult&, const BatchProgress&)> on_row;
};

// Every row, on `jobs` threads, sharing one HearingLossDesignCache; results in manifest order.
std::vector<BatchRowResult> run_rows(const std::vector<BatchRowPlan>& plans, const BatchRun& run);

}  // namespace earshot::cli
