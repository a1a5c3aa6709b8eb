"""earshot.batch on a Dask LocalCluster (issue 17): two worker processes on loopback render a
20-row manifest of corpus speech to the same bytes as `earshot batch --jobs 1`; a worker killed
during the run loses nothing (all 20 outputs, a complete scores CSV); a re-run skips all 20."""
import os
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import cli_path, corpus_dir

import earshot.batch

# Ten short corpus utterances (1.8 to 4 s; 16 and 44.1 kHz), each for a loss and an implant.
SPEECH = [
    "clarity_T010_G0N_02468_F_en.wav", "harvard_spk1_snt3_F_en.wav", "cmusphinx_goforward_M_en.wav",
    "cmu_arctic_axb_a0004_F_en.wav", "harvard_spk1_snt1_F_en.wav", "harvard_spk1_snt2_F_en.wav",
    "cmu_arctic_axb_a0006_F_en.wav", "cmu_arctic_aew_a0001_M_en.wav", "cmu_arctic_aew_a0002_M_en.wav",
    "slr83_som_04766_05_M_en.wav",
]


def write_manifest(folder: Path) -> Path:
    speech = corpus_dir() / "speech"
    lines = ["input,listener,reference"]
    for name in SPEECH:
        lines.append(f"{speech / name},N3,{speech / name}")
        lines.append(f"{speech / name},ci:nucleus-ace,")
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n")
    return manifest


def final_files(folder: Path):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


@pytest.fixture(scope="module")
def cli_renders(tmp_path_factory):
    """`earshot batch --jobs 1` of the manifest: the bytes every other run must give."""
    folder = tmp_path_factory.mktemp("cli")
    manifest = write_manifest(folder)
    subprocess.run([str(cli_path()), "batch", str(manifest), "--out", str(folder / "out"), "--jobs", "1",
                    "--scores", str(folder / "scores.csv")], check=True, capture_output=True)
    return manifest, folder / "out", (folder / "scores.csv").read_text()


@pytest.fixture(scope="module")
def cluster_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_cluster_gives_the_cli_bytes_survives_a_killed_worker_and_resumes(cli_renders, cluster_client, tmp_path):
    manifest, cli_out, cli_scores = cli_renders
    out = tmp_path / "out"

    # One worker is killed (SIGKILL, no cleanup) once the first row is back: its rows run again elsewhere.
    pids = list(cluster_client.run(os.getpid).values())
    killed = []

    def kill_one(row, done, total):
        if not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    result = earshot.batch.run(manifest, out, cluster_client, scores=tmp_path / "scores.csv", on_row=kill_one)
    assert killed
    assert result.failed == 0, [r.error for r in result.rows if r.error]
    assert len(result.rows) == 20
    assert final_files(out) == final_files(cli_out)
    for name in final_files(cli_out):
        assert (out / name).read_bytes() == (cli_out / name).read_bytes(), name
    # Complete, in manifest order; a row the killed worker had finished before it died may be
    # "skipped" by the worker that ran it again, with the same scores.
    scores = (tmp_path / "scores.csv").read_text()
    assert scores.replace(",skipped,", ",rendered,") == cli_scores

    # Again: every output is complete, nothing is rendered.
    again = earshot.batch.run(manifest, out, cluster_client, scores=tmp_path / "again.csv")
    assert [r.status for r in again.rows] == ["skipped"] * 20
    assert (tmp_path / "again.csv").read_text() == cli_scores.replace(",rendered,", ",skipped,")


def test_local_threads_give_the_cli_bytes(cli_renders, tmp_path):
    manifest, cli_out, cli_scores = cli_renders
    result = earshot.batch.run(manifest, tmp_path / "out", jobs=2)
    assert result.scores_csv == cli_scores
    for name in final_files(cli_out):
        assert (tmp_path / "out" / name).read_bytes() == (cli_out / name).read_bytes(), name


def test_command_line_reports_bad_rows_and_a_bad_manifest(tmp_path):
    speech = corpus_dir() / "speech" / "harvard_spk1_snt3_F_en.wav"
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"input,listener\n{speech},N3\nmissing.wav,N3\n{speech},N99\n")
    env = dict(os.environ)
    run = subprocess.run(["/usr/bin/python3", "-m", "earshot.batch", str(manifest), "--out", str(tmp_path / "out"),
                          "--scores", str(tmp_path / "s.csv")], capture_output=True, text=True, env=env)
    assert run.returncode == earshot.batch.ROWS_FAILED_EXIT, run.stderr
    assert run.stderr.count("\n") == 2, run.stderr
    assert "line 3: input '" in run.stderr and "missing.wav' does not exist" in run.stderr
    assert "line 4: listener: unknown listener 'N99'" in run.stderr
    statuses = [line.split(",")[4] for line in (tmp_path / "s.csv").read_text().splitlines()[1:]]
    assert statuses == ["rendered", "failed", "failed"]

    manifest.write_text("input,listener,levl_db_spl\nx.wav,N3,70\n")
    bad = subprocess.run(["/usr/bin/python3", "-m", "earshot.batch", str(manifest), "--out", str(tmp_path / "out2")],
                         capture_output=True, text=True, env=env)
    assert bad.returncode == 2
    assert "unknown column 'levl_db_spl'" in bad.stderr and bad.stderr.count("\n") == 1
    assert not (tmp_path / "out2").exists()


def test_haspi_and_hasqi_columns_equal_the_cli(tmp_path):
    """``earshot.batch.run(haspi=True, hasqi=True)`` gives `earshot batch --haspi --hasqi`'s scores
    CSV, byte for byte: the same per-ear HASPI v2 / HASQI v2 of the signal at the ear (an unaided
    N3 row, an aided one, an implanted ear n/a); and without them the columns stay empty."""
    speech = corpus_dir() / "speech" / "cmu_arctic_aew_a0001_M_en.wav"
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("input,listener,reference,aid\n"
                        f"{speech},N3,{speech},\n"
                        f"{speech},N3,{speech},nal-r\n"
                        f'{speech},"left=N3,right=ci:nucleus-ace",{speech},\n')
    subprocess.run([str(cli_path()), "batch", str(manifest), "--out", str(tmp_path / "cli"), "--scores", str(tmp_path / "cli.csv"),
                    "--haspi", "--hasqi"], check=True, capture_output=True)
    result = earshot.batch.run(manifest, tmp_path / "py", jobs=2, haspi=True, hasqi=True)
    assert result.scores_csv == (tmp_path / "cli.csv").read_text()
    header = result.scores_csv.splitlines()[0].split(",")
    assert header[-4:] == ["haspi_v2_left", "haspi_v2_right", "hasqi_v2_left", "hasqi_v2_right"]
    rows = [r.scores.rsplit(",", 4)[1:] for r in result.rows]
    assert all(0.0 < float(v) < 1.0 for v in rows[0] + rows[1])
    assert float(rows[1][0]) > float(rows[0][0])  # the aid restores what N3 loses of 65 dB SPL speech
    assert rows[2][1] == "n/a" and rows[2][3] == "n/a"
    plain = earshot.batch.run(manifest, tmp_path / "py", jobs=1)
    assert [r.scores.rsplit(",", 4)[1:] for r in plain.rows] == [["", "", "", ""]] * 3
