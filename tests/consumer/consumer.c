/* A C consumer of the installed library (C99, pkg-config earshot): renders a corpus speech file
 * through the C API, offline (earshot_render) and live (earshot_engine_*, latency removed), and
 * checks that the samples are the ones `earshot render` writes for the same file, listener and
 * level; then that bad arguments come back as errors, not crashes.
 * Usage: consumer_c EARSHOT_CLI WORK_DIR      Exit 0 pass, 1 fail, 77 skipped (no EARSHOT_CORPUS). */
#include <earshot/earshot.h>

#include <sndfile.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

static void check(int ok, const char* what, const char* detail) {
  printf("%s %s%s%s\n", ok ? "ok  " : "FAIL", what, detail && *detail ? ": " : "", detail ? detail : "");
  if (!ok) ++failures;
}

/* Planar audio: channels arrays of frames samples. */
typedef struct {
  int channels;
  long frames;
  double rate;
  float* data[2];
} audio;

static void audio_free(audio* a) {
  int c;
  for (c = 0; c < 2; ++c) free(a->data[c]);
  memset(a, 0, sizeof *a);
}

static int audio_alloc(audio* a, int channels, long frames, double rate) {
  int c;
  memset(a, 0, sizeof *a);
  a->channels = channels;
  a->frames = frames;
  a->rate = rate;
  for (c = 0; c < channels; ++c) {
    a->data[c] = calloc((size_t)frames + 1, sizeof(float));
    if (!a->data[c]) return 0;
  }
  return 1;
}

static int read_audio(const char* path, audio* a) {
  SF_INFO info;
  SNDFILE* file;
  float* interleaved;
  sf_count_t got, i;
  int c;
  memset(&info, 0, sizeof info);
  file = sf_open(path, SFM_READ, &info);
  if (!file) {
    fprintf(stderr, "cannot read %s: %s\n", path, sf_strerror(NULL));
    return 0;
  }
  if (info.channels > 2 || !audio_alloc(a, info.channels, (long)info.frames, info.samplerate)) {
    sf_close(file);
    return 0;
  }
  interleaved = malloc((size_t)info.frames * (size_t)info.channels * sizeof(float) + 1);
  got = interleaved ? sf_readf_float(file, interleaved, info.frames) : 0;
  sf_close(file);
  for (i = 0; i < got; ++i)
    for (c = 0; c < info.channels; ++c) a->data[c][i] = interleaved[i * info.channels + c];
  free(interleaved);
  return got == info.frames;
}

/* The shortest mono speech file in MANIFEST.csv (columns: file, kind, description, sample_rate,
 * channels, seconds, ...; quoted fields may hold commas and "" quotes). */
static int pick_speech(const char* corpus, char* out, size_t out_size) {
  char path[4096], line[8192], field[8][1024];
  double best = 1e300;
  FILE* manifest;
  snprintf(path, sizeof path, "%s/MANIFEST.csv", corpus);
  manifest = fopen(path, "r");
  if (!manifest) return 0;
  out[0] = '\0';
  if (!fgets(line, sizeof line, manifest)) {
    fclose(manifest);
    return 0;
  }
  while (fgets(line, sizeof line, manifest)) {
    int f = 0, quoted = 0;
    size_t n = 0, i;
    memset(field, 0, sizeof field);
    for (i = 0; line[i] && line[i] != '\n' && f < 8; ++i) {
      const char ch = line[i];
      if (quoted && ch == '"' && line[i + 1] == '"') {
        if (n + 1 < sizeof field[0]) field[f][n++] = '"';
        ++i;
      } else if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        field[f][n] = '\0';
        ++f;
        n = 0;
      } else if (ch != '\r' && n + 1 < sizeof field[0]) {
        field[f][n++] = ch;
      }
    }
    if (f >= 5 && strcmp(field[1], "speech") == 0 && strcmp(field[4], "1") == 0) {
      const double seconds = atof(field[5]);
      if (seconds > 1.0 && seconds < best) {
        best = seconds;
        snprintf(out, out_size, "%s/%s", corpus, field[0]);
      }
    }
  }
  fclose(manifest);
  return out[0] != '\0';
}

/* `earshot render INPUT WORK/name --listener L FLAGS` (float32 WAV), read back. */
static int cli_render(const char* cli, const char* input, const char* work, const char* name,
                      const char* listener, const char* flags, audio* out) {
  char command[16384], output[4096];
  snprintf(output, sizeof output, "%s/%s", work, name);
  snprintf(command, sizeof command, "'%s' render '%s' '%s' --listener '%s' %s > /dev/null", cli, input, output,
           listener, flags);
  if (system(command) != 0) {
    fprintf(stderr, "failed: %s\n", command);
    return 0;
  }
  return read_audio(output, out);
}

static double max_abs_diff(const audio* a, const audio* b) {
  double worst = 0.0;
  long i;
  int c;
  if (a->channels != b->channels || a->frames != b->frames) return INFINITY;
  for (c = 0; c < a->channels; ++c)
    for (i = 0; i < a->frames; ++i) {
      const double d = fabs((double)a->data[c][i] - (double)b->data[c][i]);
      if (d > worst) worst = d;
    }
  return worst;
}

/* The live engine on the whole input in blocks of block_frames (frames past the input are
 * silence), the first latency_frames output frames dropped: the offline render's frames. */
static int live_render(const char* listener, const audio* in, int output_channels, double calibration_db_spl,
                       int block_frames, audio* out, char* error, size_t error_size) {
  earshot_engine* engine = earshot_engine_create(listener, in->rate, in->channels, output_channels,
                                                 calibration_db_spl, error, error_size);
  float *block_in[2] = {NULL, NULL}, *block_out[2] = {NULL, NULL};
  long done = 0, kept = 0, total;
  int latency, c, ok = 1;
  if (!engine) return 0;
  latency = earshot_engine_latency_frames(engine);
  total = in->frames + latency;
  if (!audio_alloc(out, output_channels, in->frames, in->rate)) ok = 0;
  for (c = 0; c < 2 && ok; ++c) {
    block_in[c] = calloc((size_t)block_frames, sizeof(float));
    block_out[c] = calloc((size_t)block_frames, sizeof(float));
    if (!block_in[c] || !block_out[c]) ok = 0;
  }
  while (ok && done < total) {
    const int n = (int)(total - done < block_frames ? total - done : block_frames);
    int i;
    for (c = 0; c < in->channels; ++c)
      for (i = 0; i < n; ++i) block_in[c][i] = done + i < in->frames ? in->data[c][done + i] : 0.0f;
    earshot_engine_process(engine, (const float* const*)block_in, block_out, n);
    for (i = 0; i < n; ++i) {
      if (done + i < latency) continue;
      for (c = 0; c < output_channels; ++c) out->data[c][kept] = block_out[c][i];
      ++kept;
    }
    done += n;
  }
  for (c = 0; c < 2; ++c) {
    free(block_in[c]);
    free(block_out[c]);
  }
  earshot_engine_destroy(engine);
  return ok && kept == in->frames;
}

int main(int argc, char** argv) {
  const char* corpus = getenv("EARSHOT_CORPUS");
  const char *cli, *work;
  char speech[4096], error[512], detail[1024];
  audio input, expected_n3, expected_two, got;
  double calibration = 0.0, diff;
  const float* in_ptr[2];
  float* out_ptr[2];
  earshot_engine* engine;
  int channels, rc;

  if (argc != 3) {
    fprintf(stderr, "usage: consumer_c EARSHOT_CLI WORK_DIR\n");
    return 1;
  }
  if (!corpus || !*corpus) {
    printf("SKIP: EARSHOT_CORPUS is not set (point it at the shared corpus to run this test)\n");
    return 77;
  }
  cli = argv[1];
  work = argv[2];

  check(strcmp(earshot_version(), EARSHOT_VERSION_STRING) == 0, "library version matches the headers", earshot_version());

  if (!pick_speech(corpus, speech, sizeof speech) || !read_audio(speech, &input)) {
    fprintf(stderr, "FAIL: no readable mono speech file in %s/MANIFEST.csv\n", corpus);
    return 1;
  }
  printf("speech: %s (%ld frames at %g Hz)\n", speech, input.frames, input.rate);
  in_ptr[0] = input.data[0];
  in_ptr[1] = NULL;

  /* Offline, N3 at the CLI's default level (65 dB SPL active speech): one output channel. */
  if (!cli_render(cli, speech, work, "c_cli_n3.wav", "N3", "", &expected_n3)) return 1;
  channels = earshot_render_channels("N3", 1, error, sizeof error);
  check(channels == 1, "earshot_render_channels(N3, mono) is 1", error);
  audio_alloc(&got, 1, input.frames, input.rate);
  rc = earshot_render("N3", EARSHOT_SPEECH_LEVEL, 65.0, in_ptr, 1, (size_t)input.frames, input.rate, got.data, 1,
                      &calibration, error, sizeof error);
  diff = rc == 0 ? max_abs_diff(&got, &expected_n3) : INFINITY;
  snprintf(detail, sizeof detail, "%s max |C - CLI| = %g, calibration %.3f dB SPL", error, diff, calibration);
  check(rc == 0 && diff <= 1e-6, "earshot_render N3 --level 65 equals the CLI", detail);
  audio_free(&got);

  /* Offline, two different ears (acoustic left, implant right), fixed calibration: two channels. */
  if (!cli_render(cli, speech, work, "c_cli_two.wav", "left=N2,right=ci:nucleus-ace", "--calibration 100", &expected_two))
    return 1;
  channels = earshot_render_channels("left=N2,right=ci:nucleus-ace", 1, error, sizeof error);
  check(channels == 2, "earshot_render_channels(two ears, mono) is 2", error);
  audio_alloc(&got, 2, input.frames, input.rate);
  rc = earshot_render("left=N2,right=ci:nucleus-ace", EARSHOT_CALIBRATION, 100.0, in_ptr, 1, (size_t)input.frames,
                      input.rate, got.data, 2, NULL, error, sizeof error);
  diff = rc == 0 ? max_abs_diff(&got, &expected_two) : INFINITY;
  snprintf(detail, sizeof detail, "%s max |C - CLI| = %g", error, diff);
  check(rc == 0 && diff <= 1e-6, "earshot_render left=N2,right=ci:nucleus-ace --calibration 100 equals the CLI", detail);
  audio_free(&got);

  /* A listener profile file (TOML): a conductive loss on the left, N2 on the right. */
  {
    char profile[4096], bad_profile[4096];
    audio expected_profile;
    FILE* f;
    snprintf(profile, sizeof profile, "%s/listener.toml", work);
    snprintf(bad_profile, sizeof bad_profile, "%s/bad.toml", work);
    f = fopen(profile, "w");
    if (f) {
      fputs("[left]\naudiogram_hz = [250, 500, 1000, 2000, 4000, 8000]\n"
            "audiogram_db_hl = [40, 40, 45, 50, 60, 70]\nair_bone_gap_db = [25, 20, 15, 10, 5, 0]\n"
            "[right]\npreset = \"N2\"\n", f);
      fclose(f);
    }
    f = fopen(bad_profile, "w");
    if (f) {
      fputs("[left]\npreset = \"N9\"\n[right]\npreset = \"N2\"\n", f);
      fclose(f);
    }
    if (!cli_render(cli, speech, work, "c_cli_profile.wav", profile, "--level 70", &expected_profile)) return 1;
    audio_alloc(&got, 2, input.frames, input.rate);
    rc = earshot_render(profile, EARSHOT_SPEECH_LEVEL, 70.0, in_ptr, 1, (size_t)input.frames, input.rate, got.data, 2,
                        NULL, error, sizeof error);
    diff = rc == 0 ? max_abs_diff(&got, &expected_profile) : INFINITY;
    snprintf(detail, sizeof detail, "%s max |C - CLI| = %g", error, diff);
    check(rc == 0 && diff <= 1e-6, "earshot_render of a .toml profile --level 70 equals the CLI", detail);
    audio_free(&got);
    audio_free(&expected_profile);
    engine = earshot_engine_create(bad_profile, 44100.0, 1, 2, 100.0, error, sizeof error);
    check(engine == NULL && strstr(error, "bad.toml") != NULL && strstr(error, "left") != NULL,
          "a profile with a bad preset is refused, naming the file and the field", error);
  }

  /* Live, a fixed listener, latency removed: the offline render's samples, whatever the block. */
  if (live_render("N3", &input, 1, calibration, 441, &got, error, sizeof error)) {
    diff = max_abs_diff(&got, &expected_n3);
    snprintf(detail, sizeof detail, "max |live - CLI| = %g", diff);
    check(diff <= 1e-6, "live engine N3 (blocks of 441) equals the CLI after its latency", detail);
  } else {
    check(0, "live engine N3", error);
  }
  audio_free(&got);
  if (live_render("left=N2,right=ci:nucleus-ace", &input, 2, 100.0, 1000, &got, error, sizeof error)) {
    diff = max_abs_diff(&got, &expected_two);
    snprintf(detail, sizeof detail, "max |live - CLI| = %g", diff);
    check(diff <= 1e-6, "live engine left=N2,right=ci:nucleus-ace (blocks of 1000) equals the CLI after its latency", detail);
  } else {
    check(0, "live engine two ears", error);
  }
  audio_free(&got);

  /* Errors: NULL or non-zero with a message naming the field; nothing crashes. */
  audio_alloc(&got, 2, input.frames, input.rate);
  out_ptr[0] = got.data[0];
  out_ptr[1] = got.data[1];
  engine = earshot_engine_create(NULL, 44100.0, 1, 1, 100.0, error, sizeof error);
  check(engine == NULL && strstr(error, "listener") != NULL, "create with a NULL listener is refused", error);
  engine = earshot_engine_create("N9", 44100.0, 1, 1, 100.0, error, sizeof error);
  check(engine == NULL && strstr(error, "listener") != NULL, "create with listener N9 is refused", error);
  engine = earshot_engine_create("N3", 1000.0, 1, 1, 100.0, error, sizeof error);
  check(engine == NULL && strstr(error, "sample_rate") != NULL, "create at 1000 Hz is refused", error);
  engine = earshot_engine_create("N9", 44100.0, 1, 1, 100.0, error, 8);
  check(engine == NULL && strlen(error) == 7, "an error message is truncated to error_size", error);
  engine = earshot_engine_create("N9", 44100.0, 1, 1, 100.0, NULL, 0);
  check(engine == NULL, "a NULL error buffer is allowed", "");
  rc = earshot_render("N3", EARSHOT_SPEECH_LEVEL, 65.0, NULL, 1, 100, 16000.0, out_ptr, 1, NULL, error, sizeof error);
  check(rc != 0 && strstr(error, "in") != NULL, "render with NULL input is refused", error);
  rc = earshot_render("left=N2,right=N5", EARSHOT_SPEECH_LEVEL, 65.0, in_ptr, 1, (size_t)input.frames, input.rate,
                      out_ptr, 1, NULL, error, sizeof error);
  check(rc != 0 && strstr(error, "output_channels") != NULL, "render of two ears into one channel is refused", error);
  earshot_engine_process(NULL, in_ptr, out_ptr, 64);
  earshot_engine_destroy(NULL);
  check(earshot_engine_latency_frames(NULL) == 0, "NULL engine: process and destroy do nothing, latency 0", "");
  rc = earshot_engine_set_listener(NULL, "N3", 0.0, error, sizeof error);
  check(rc != 0 && strstr(error, "engine") != NULL, "set_listener on a NULL engine is refused", error);

  /* A listener change on a running engine; a change the layout cannot take is refused. */
  engine = earshot_engine_create("N3", input.rate, 1, 1, calibration, error, sizeof error);
  check(engine != NULL, "create N3 (1 in, 1 out)", error);
  if (engine) {
    float block[256];
    float* block_out[1];
    block_out[0] = block;
    earshot_engine_process(engine, in_ptr, block_out, 256);
    rc = earshot_engine_set_listener(engine, "N6", 0.5, error, sizeof error);
    check(rc == 0, "set_listener N6 over 0.5 s", error);
    earshot_engine_process(engine, NULL, block_out, 256);
    rc = earshot_engine_set_listener(engine, "left=N2,right=N5", 0.0, error, sizeof error);
    check(rc != 0 && *error != '\0', "set_listener with two different ears on a one-output engine is refused", error);
    rc = earshot_engine_set_listener(engine, "N9", 0.0, error, sizeof error);
    check(rc != 0 && strstr(error, "listener") != NULL, "set_listener N9 is refused", error);
    earshot_engine_destroy(engine);
  }

  audio_free(&got);
  audio_free(&input);
  audio_free(&expected_n3);
  audio_free(&expected_two);
  if (failures) printf("FAILED: %d check(s)\n", failures);
  else printf("all checks passed\n");
  return failures ? 1 : 0;
}
