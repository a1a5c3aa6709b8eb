#pragma once
// earshot.batch's compiled part: the manifest's rows and one row's run, the same run_row() as
// `earshot batch` (apps/cli/batch_job.hpp), so a Dask worker renders the bytes the CLI does.
#include <pybind11/pybind11.h>

namespace earshot::python {

void add_batch(pybind11::module_& m);

}  // namespace earshot::python
