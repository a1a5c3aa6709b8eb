#include "batch_binding.hpp"

#include <pybind11/stl.h>

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
      [](const std::string& manifest, const std::string& out_dir, std::size_t index) {
        const auto plans = plans_of(manifest, out_dir);
        if (index >= plans.size()) {
          throw py::value_error("row " + std::to_string(index) + " is beyond the manifest's " + std::to_string(plans.size()) + " rows");
        }
        BatchRowResult r;
        {
          py::gil_scoped_release release;
          r = cli::run_row(plans[index]);
        }
        return py::make_tuple(std::string(to_string(r.status)), batch_scores_line(r), r.error, r.line);
      },
      py::arg("manifest"), py::arg("out_dir"), py::arg("index"));
}

}  // namespace earshot::python
