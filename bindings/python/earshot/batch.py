"""Batch renders of a manifest CSV, on local threads or on a Dask cluster.

The manifest, the output names, the seeds, the skip of complete outputs and the scores CSV are the
CLI's (`earshot batch`, README "Batch"): each row runs through the same compiled ``run_row`` as
``earshot batch``, so a row gives the same bytes whichever machine, process or thread ran it.

A task is ``(manifest, out_dir, row index)``: the worker plans the manifest itself, so every
worker must see the manifest, the audio and the output folder at the same paths (a shared file
system; docs/cluster.md). Outputs are written to a temporary file beside their final name and
renamed when complete, so a worker killed mid-row leaves no partial file under a final name; the
scheduler gives its rows to another worker, which renders them again (or skips those already
complete).

Command line::

    python3 -m earshot.batch manifest.csv --out renders/ [--scores scores.csv] [--jobs N]
    python3 -m earshot.batch manifest.csv --out renders/ --scheduler tcp://scheduler-host:8786

Exit codes as the CLI's: 0, 2 (a bad manifest: nothing run), 4 (the scores file cannot be
written), 6 (some rows failed: each named on stderr and in the scores CSV).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional, Tuple, Union

from . import _earshot

__all__ = ["BatchRow", "BatchResult", "run", "main", "ROWS_FAILED_EXIT"]

#: Exit code of the command line when some rows failed (as `earshot batch`).
ROWS_FAILED_EXIT = 6

PathLike = Union[str, "os.PathLike[str]"]


@dataclass
class BatchRow:
    """One row's result: ``status`` is "rendered", "skipped" (its complete output was there) or
    "failed" (``error`` says why); ``scores`` is its line of the scores CSV."""

    line: int
    status: str
    error: str
    scores: str


@dataclass
class BatchResult:
    """Every row's result, in manifest order, and the scores CSV made of them."""

    rows: List[BatchRow] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(r.status == "failed" for r in self.rows)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)

    @property
    def scores_csv(self) -> str:
        return _earshot.batch_scores_header() + "\n" + "".join(r.scores + "\n" for r in self.rows)


def _run_row(manifest: str, out_dir: str, index: int, haspi: bool = False, hasqi: bool = False) -> Tuple[str, str, str, int]:
    """A task: one row, by index. Module-level, so Dask sends it to workers by name."""
    return _earshot.batch_run_row(manifest, out_dir, index, haspi, hasqi)


def _write_atomically(path: str, text: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix="." + os.path.basename(path)[:100] + ".earshot-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def run(
    manifest: PathLike,
    out_dir: PathLike,
    client: Any = None,
    *,
    jobs: int = 1,
    scores: Optional[PathLike] = None,
    on_row: Optional[Callable[[BatchRow, int, int], None]] = None,
    haspi: bool = False,
    hasqi: bool = False,
) -> BatchResult:
    """Render and score every row of a manifest.

    Parameters
    ----------
    manifest : path
        The manifest CSV (header ``input,listener`` and optional
        ``output,level_db_spl,calibration_db_spl,seed,reference,noise,aid``); its paths are relative
        to its folder. ``aid`` is a hearing aid as ``earshot render --aid`` takes it
        (``nal-r,wdrc``; empty or ``none``: unaided); an aided row's SII is its aided ears'.
    out_dir : path
        Folder for the renders (made if missing). Rows whose complete output is there are skipped.
    client : dask.distributed.Client, optional
        Run the rows as tasks on this cluster; without it, on ``jobs`` local threads.
    jobs : int
        Local threads when there is no client (the GIL is released while a row runs).
    scores : path, optional
        Also write the scores CSV here, atomically, in manifest order.
    on_row : callable, optional
        Called as ``on_row(row, done, total)`` as each row finishes, in completion order.
    haspi, hasqi : bool
        Also score HASPI v2 (Kates & Arehart 2021) / HASQI v2 (Kates & Arehart 2014) per ear for
        the rows with a ``reference`` (columns ``haspi_v2_left`` ... ``hasqi_v2_right``), as
        ``earshot batch --haspi --hasqi``: of the signal at the ear (the aid's output for an aided
        ear, the input for an unaided one), not of the render; each index costs tens of renders.

    Returns
    -------
    BatchResult
        The rows in manifest order; ``scores_csv`` is the CSV `earshot batch --scores` writes.

    Raises
    ------
    ValueError
        The manifest is bad (line and column named); nothing was run.

    Examples
    --------
    >>> import earshot.batch
    >>> result = earshot.batch.run("manifest.csv", "renders", jobs=2, scores="scores.csv")  # doctest: +SKIP
    >>> result.failed  # doctest: +SKIP
    0
    """
    manifest = os.path.abspath(os.fspath(manifest))
    out_dir = os.path.abspath(os.fspath(out_dir))
    planned = _earshot.batch_rows(manifest, out_dir)  # ValueError before anything is written
    if scores is not None:
        folder = os.path.dirname(os.path.abspath(os.fspath(scores)))
        if not os.path.isdir(folder):
            raise OSError(f"the folder of scores '{os.fspath(scores)}' does not exist")
    os.makedirs(out_dir, exist_ok=True)
    total = len(planned)
    results: List[Optional[BatchRow]] = [None] * total
    done = 0

    def finished(index: int, value: Tuple[str, str, str, int]) -> None:
        nonlocal done
        status, line_csv, error, line = value
        results[index] = BatchRow(line=line, status=status, error=error, scores=line_csv)
        done += 1
        if on_row is not None:
            on_row(results[index], done, total)

    if client is None:
        with ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
            pending = {pool.submit(_run_row, manifest, out_dir, i, haspi, hasqi): i for i in range(total)}
            for future in as_completed(pending):
                finished(pending[future], future.result())
    else:
        from distributed import as_completed as dask_as_completed

        # pure=False: a re-run is new work (it checks the files again), not a cached result.
        futures = client.map(_run_row, [manifest] * total, [out_dir] * total, list(range(total)), [haspi] * total, [hasqi] * total,
                             pure=False)
        index_of = {f.key: i for i, f in enumerate(futures)}
        for future in dask_as_completed(futures):
            finished(index_of[future.key], future.result())
    result = BatchResult(rows=[r for r in results if r is not None])
    if scores is not None:
        _write_atomically(os.fspath(scores), result.scores_csv)
    return result


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m earshot.batch",
        description="render every row of a manifest CSV into a folder, with a scores CSV; resumable; locally or on a Dask cluster")
    parser.add_argument("manifest", help="CSV with a header: input,listener and optional output,level_db_spl,calibration_db_spl,seed,reference,noise,aid")
    parser.add_argument("--out", "-o", required=True, help="folder for the renders (made if missing)")
    parser.add_argument("--scores", help="write per-row levels, STOI/ESTOI, SII, status and error to this CSV")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="local threads, without --scheduler [default 1]")
    parser.add_argument("--scheduler", help="a dask.distributed scheduler's address, e.g. tcp://host:8786")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress line on a terminal")
    parser.add_argument("--haspi", action="store_true", help="scores CSV: HASPI v2 per ear for rows with a reference (as earshot batch --haspi)")
    parser.add_argument("--hasqi", action="store_true", help="scores CSV: HASQI v2 per ear for rows with a reference (as earshot batch --hasqi)")
    args = parser.parse_args(argv)
    if (args.haspi or args.hasqi) and not args.scores:
        print(f"earshot: error: {'--haspi' if args.haspi else '--hasqi'} adds columns to the scores CSV: give --scores FILE", file=sys.stderr)
        return 2
    if args.jobs < 1 or args.jobs > 256:
        print(f"earshot: error: --jobs {args.jobs} is outside 1...256", file=sys.stderr)
        return 2
    show_progress = not args.quiet and sys.stderr.isatty()
    start = time.monotonic()

    def on_row(row: BatchRow, done: int, total: int) -> None:
        if show_progress:
            sys.stderr.write("\r\033[K")
        if row.status == "failed":
            error = row.error.replace("\n", "\\n").replace("\r", "\\r")
            sys.stderr.write(f"earshot: error: {args.manifest} line {row.line}: {error}\n")
        if show_progress and done < total:
            rate = done / max(time.monotonic() - start, 1e-9)
            eta = int((total - done) / max(rate, 1e-9))
            sys.stderr.write(f"batch: {done}/{total} rows, {rate:.2f} rows/s, ETA {eta // 60}:{eta % 60:02d}")
        sys.stderr.flush()

    client = None
    try:
        if args.scheduler:
            from distributed import Client

            client = Client(args.scheduler)
        result = run(args.manifest, args.out, client, jobs=args.jobs, scores=args.scores, on_row=on_row, haspi=args.haspi,
                     hasqi=args.hasqi)
    except ValueError as e:
        print(f"earshot: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"earshot: error: {e}", file=sys.stderr)
        return 4
    finally:
        if client is not None:
            client.close()
    seconds = time.monotonic() - start
    n = len(result.rows)
    print(f"batch: {n} rows: {result.count('rendered')} rendered, {result.count('skipped')} skipped (already complete), "
          f"{result.failed} failed, in {seconds:.1f} s ({n / max(seconds, 1e-9):.2f} files/s)"
          + (f"; scores in {args.scores}" if args.scores else ""))
    return ROWS_FAILED_EXIT if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
