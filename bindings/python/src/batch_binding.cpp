#include "batch_binding.hpp"

#include <pybind11/stl.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>

#include "apps/cli/batch_job.hpp"
#include "apps/cli/cli_error.hpp"

namespace py = pybind11;

namespace earshot::python {
namespace {

// A task names its row by (manifest, output folder, index) and the worker plans the manifest
// itself: a task is three small values to send, and the plan (paths, output name, seed) is the
// same on every machine that sees the same files.
std::vector<BatchRowPlan> plans_of(const std::string& manifest, const std::string& out_dir) {
  try {
    return cli::plan_manifest(manifest, out_dir);
  } catch (const cli::CliError& e) {
    throw py::value_error(e.what());
  }
}

// A row's task plans the whole manifest to find its row: for a manifest of N rows, N plannings of
// N rows. A worker keeps the last manifest it planned (its text, its output folder, its plans),
// and plans again only when the manifest's bytes or the folder differ: the plan is a pure function
// of those (batch/batch_row.hpp), so the row is the same.
std::shared_ptr<const std::vector<BatchRowPlan>> cached_plans_of(const std::string& manifest, const std::string& out_dir) {
  struct Planned {
    std::string manifest, out_dir, text;
    std::shared_ptr<const std::vector<BatchRowPlan>> plans;
  };
  static std::mutex mutex;
  static auto* last = new Planned();  // never destroyed: a row may run on another thread at exit
  std::string text;
  {
    std::ifstream in(manifest, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in) text = std::move(bytes).str();
    else return std::make_shared<const std::vector<BatchRowPlan>>(plans_of(manifest, out_dir));  // its error
  }
  {
    std::lock_guard lock(mutex);
    if (last->plans && last->manifest == manifest && last->out_dir == out_dir && last->text == text) return last->plans;
  }
  auto plans = std::make_shared<const std::vector<BatchRowPlan>>(plans_of(manifest, out_dir));
  std::lock_guard lock(mutex);
  *last = Planned{manifest, out_dir, std::move(text), plans};
  return plans;
}

// One process's hearing-loss designs, shared by every row it runs (hearing_loss_design_cache.hpp):
// a Dask worker or a thread of earshot.batch.run designs each listener once per rate, not per
// row, and gives the same bytes. Never destroyed: a row may still run on another thread while the
// interpreter exits.
HearingLossDesignCache& process_designs() {
  static auto* designs = new HearingLossDesignCache();
  return *designs;
}

}  // namespace

void add_batch(py::module_& m) {
  m.def(
      "batch_rows",
      [](const std::string& manifest, const std::string& out_dir) {
        py::list rows;
        for (const auto& p : plans_of(manifest, out_dir)) rows.append(py::make_tuple(p.line, p.output_name));
        return rows;
      },
      py::arg("manifest"), py::arg("out_dir"));
  m.def("batch_scores_header", [] { return batch_scores_header(); });
  m.def(
      "batch_run_row",
      [](const std::string& manifest, const std::string& out_dir, std::size_t index, bool haspi, bool hasqi) {
        const auto plans = cached_plans_of(manifest, out_dir);
        if (index >= plans->size()) {
          throw py::value_error("row " + std::to_string(index) + " is beyond the manifest's " + std::to_string(plans->size()) + " rows");
        }
        BatchRowPlan plan = (*plans)[index];  // the indices are the run's choice, not the manifest's
        plan.haspi = haspi;
        plan.hasqi = hasqi;
        BatchRowResult r;
        {
          py::gil_scoped_release release;
          r = cli::run_row(plan, &process_designs());
        }
        return py::make_tuple(std::string(to_string(r.status)), batch_scores_line(r), r.error, r.line);
      },
      py::arg("manifest"), py::arg("out_dir"), py::arg("index"), py::arg("haspi") = false, py::arg("hasqi") = false);
}

}  // namespace earshot::python
