/* earshot's C API: what a listener hears, for C and for every language that calls C (C#, Rust,
 * Python ctypes, Godot, game engines, DAW hosts). C99; link with -learshot (pkg-config earshot) or
 * earshot::earshot (find_package(earshot)).
 *
 * Conventions
 *   - Units: sample rates in Hz, times in seconds, levels in dB SPL; a sample is one float, a
 *     frame one sample per audio channel, a channel an ear (left = 0, right = 1).
 *   - Audio is planar (non-interleaved): one float array per channel, passed as an array of
 *     channel pointers. Samples are on the input's digital scale; the output keeps that scale
 *     (what the listener loses in loudness is audible, never normalised away).
 *   - Listener text: anything the CLI's --listener accepts: a preset (normal, N1..N7, S1..S3,
 *     deaf), an audiogram "250:20,500:25,1000:35,...", "age:70:female", "noise:95dBA:25y:age:50:male",
 *     "ci:nucleus-ace", "eas:nucleus-hybrid", "vocoder:noise-8", "left=SPEC,right=SPEC", or the
 *     path of a listener profile, "FILE.toml" (docs/profiles.md).
 *   - Errors: functions return NULL or a non-zero int, and write one line naming the field, the
 *     value and what is allowed into the caller's `error` buffer ("listener: 'N9' is not ..."),
 *     truncated to error_size bytes with a terminating NUL. `error` may be NULL (no message);
 *     error_size 0 writes nothing. On success `error` is set to "". Null pointers where data is
 *     required are errors, never crashes. Nothing throws across this interface: every C++
 *     exception, out-of-memory included, becomes an error return.
 *   - Ownership: the caller owns every buffer it passes; the library keeps no pointer to them
 *     after a call returns. An earshot_engine is owned by the caller from create to destroy.
 *   - Threads: functions without an engine are safe from any thread. An engine has one control
 *     thread (create, set_listener, destroy) and one audio thread (process); see each function.
 */
#ifndef EARSHOT_H
#define EARSHOT_H

#include <stddef.h>

#include "earshot/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, "MAJOR.MINOR.PATCH": a static string, never freed. Compare it with
 * EARSHOT_VERSION_STRING to check that the headers match the library. Any thread. */
const char* earshot_version(void);

/* ---- Offline render: the same samples as `earshot render` ------------------------------------ */

/* How earshot_render reads the input's level (see the CLI's --level and --calibration). */
typedef enum earshot_level_mode {
  /* db_spl is the level at which the input's active speech (ITU-T P.56, all channels together)
   * is presented, 0...130 dB SPL; `earshot render --level DB`. The CLI's default is 65. */
  EARSHOT_SPEECH_LEVEL = 0,
  /* A digital RMS of 1.0 reads as db_spl dB SPL; `earshot render --calibration DB`. For mixes
   * whose relative level matters and for input without speech. */
  EARSHOT_CALIBRATION = 1,
  /* Not a mode: makes the type as wide as an int in C and C++ alike, so that any value a caller
   * passes can be read and refused (C++ leaves a value outside a narrower enum's range undefined;
   * UBSan caught `7` from the C API test). */
  EARSHOT_LEVEL_MODE_MAX_ENUM = 0x7FFFFFFF
} earshot_level_mode;

/* The number of output channels earshot_render gives for this listener and input_channels
 * (1 or 2): 1 for mono input and ears alike, 2 otherwise. Returns -1 on error (bad listener,
 * input_channels not 1 or 2), message in `error`. Any thread. */
int earshot_render_channels(const char* listener, int input_channels, char* error, size_t error_size);

/* Renders a whole signal offline, as `earshot render` does for the same samples: calibrated by
 * `mode` and db_spl, the engine's latency removed, each output exactly `frames` long and aligned
 * with the input. Model settings are the CLI's defaults (free field, smearing on, no temporal
 * jitter, seed 1).
 *   listener        listener text (see above)
 *   in              input_channels pointers (1: both ears hear it; 2: left, right), each `frames`
 *                   finite samples at sample_rate_hz (8000...192000 Hz)
 *   out             output_channels pointers, each with room for `frames` samples; they may not
 *                   alias the input. output_channels must be earshot_render_channels(listener,
 *                   input_channels), except that 2 is accepted where that is 1 (both outputs then
 *                   get the same samples).
 *   calibration_db_spl_used   if not NULL, receives the calibration used (digital RMS 1.0 = this)
 * Returns 0 on success; non-zero on error (nothing useful is in `out` then), message in `error`.
 * Allocates about four times the signal's size while it runs. Any thread. */
int earshot_render(const char* listener, earshot_level_mode mode, double db_spl,
                   const float* const* in, int input_channels, size_t frames, double sample_rate_hz,
                   float* const* out, int output_channels, double* calibration_db_spl_used,
                   char* error, size_t error_size);

/* ---- Live engine: real time, the listener may change while audio runs ------------------------- */

/* An engine for hosts that process audio in blocks (plugins, games, JACK, streaming). Opaque. */
typedef struct earshot_engine earshot_engine;

/* Creates an engine for the host's layout, starting on `listener`. Control thread; allocates.
 *   sample_rate_hz       8000...192000
 *   input_channels       1 (both ears hear it) or 2 (left, right)
 *   output_channels      1 (only listeners whose ears are alike) or 2 (left, right)
 *   calibration_db_spl   a digital RMS of 1.0 reads as this many dB SPL (a live input has no
 *                        whole-signal level to measure: use earshot_render's calibration_db_spl_used
 *                        to match an offline render, or the host's known playback level)
 * Model settings are the CLI's defaults (free field, smearing on, no temporal jitter, seed 1).
 * Layout and latency are fixed here and never change with the listener.
 * Returns NULL on error, message in `error`. Free with earshot_engine_destroy. */
earshot_engine* earshot_engine_create(const char* listener, double sample_rate_hz, int input_channels,
                                      int output_channels, double calibration_db_spl,
                                      char* error, size_t error_size);

/* Changes the listener while process() runs: the new listener's plan is designed on the calling
 * thread (allocates; may take milliseconds), handed to the audio thread without a lock, taken at
 * its next block boundary and moved to over move_s seconds (0: the shortest click-free move,
 * about 5 ms); a change posted before the previous one was taken replaces it. Any thread but the
 * audio thread, one at a time (the control thread). Returns 0 on success; non-zero on error, and
 * then nothing changes (message in `error`: e.g. a listener with two different ears on a
 * one-output engine). */
int earshot_engine_set_listener(earshot_engine* engine, const char* listener, double move_s,
                                char* error, size_t error_size);

/* Audio thread: processes `frames` frames (any count, not tied to a block size). in: input_channels
 * pointers, out: output_channels pointers, each `frames` long; in may alias out (in place).
 * Output is latency_frames late. Never allocates, locks, blocks or fails: with engine or out NULL
 * or frames <= 0 it does nothing; with in NULL it processes silence. */
void earshot_engine_process(earshot_engine* engine, const float* const* in, float* const* out, int frames);

/* The engine's latency in frames, fixed at create (the most any listener may need at this rate):
 * output frame n + latency_frames answers input frame n. Any thread; 0 for NULL. */
int earshot_engine_latency_frames(const earshot_engine* engine);

/* Frees the engine. Control thread, after the audio thread has stopped calling process. NULL is
 * allowed (nothing happens). */
void earshot_engine_destroy(earshot_engine* engine);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EARSHOT_H */
