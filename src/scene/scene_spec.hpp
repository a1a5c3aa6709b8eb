#pragma once
// A scene: hearing that changes over time (issue #4; the arc of the film *Sound of Metal* as a
// tool). A timeline of keyframes, each a listener state per ear and how to move there from the
// previous one, over one input, with layers that run along it: tinnitus, noise maskers and an
// implant's "sounds-like" character; and a perspective per keyframe, how much of the unprocessed
// room sound is heard instead of the listener's.
//
// Time: keyframe k's move starts at its time_s and lasts transition_s (a cut, or none: kCutS); its state
// holds from the move's end until the next keyframe's move starts. The first keyframe is the
// state at 0 s. Plain data; validate() lists every problem with its field and time.
#include <limits>
#include <string>
#include <cstdint>
#include <vector>

#include "scene/coloured_noise.hpp"
#include "scene/implant_character.hpp"
#include "model/listener.hpp"
#include "audiology/reference_threshold.hpp"
#include "scene/tinnitus.hpp"
#include "scene/transition_curve.hpp"

namespace earshot {

enum class EarSelection { left, right, both };
bool includes(EarSelection selection, int ear);  // ear 0 = left, 1 = right
const char* to_string(EarSelection selection);

struct SceneKeyframe {
  double time_s = 0.0;
  Listener listener;
  double transition_s = 0.0;
  TransitionCurve curve = TransitionCurve::linear;
  double perspective = 0.0;  // 0: what the listener hears ... 1: what the room hears (unprocessed)
  // The move's length: transition_s, and never shorter than a cut (kCutS): no transition is a cut.
  double move_s() const { return curve == TransitionCurve::cut || transition_s < kCutS ? kCutS : transition_s; }
};

struct TinnitusLayer {
  EarSelection ears = EarSelection::both;
  TinnitusParams params;
};

struct MaskerLayer {
  EarSelection ears = EarSelection::both;
  MaskerParams params;
};

struct ImplantCharacterLayer {
  EarSelection ears = EarSelection::both;
  ImplantCharacterParams params;
};

struct SceneSpec {
  double sample_rate_hz = 44100.0;
  double duration_s = 0.0;             // the timeline's length
  double calibration_db_spl = 100.0;   // a digital RMS of 1.0 is this many dB SPL
  SoundField field = SoundField::free;
  bool smearing = true;
  unsigned seed = 1;
  std::vector<SceneKeyframe> keyframes;
  std::vector<TinnitusLayer> tinnitus;
  std::vector<MaskerLayer> maskers;
  std::vector<ImplantCharacterLayer> characters;
};

// Limits on a scene's size, refused with one error that names the limit (README, "Limits"). A
// scene streams (its inputs are read and its outputs written block by block, in constant memory),
// so its length is limited by its outputs: a stereo float WAV holds at most 4 GiB of samples,
// 536,870,912 frames. Every keyframe is a designed listener state, held in memory. All are checked
// before anything is allocated (formats/scene_file.cpp while reading, scene_inputs.cpp for the
// timeline, and here).
inline constexpr double kMaxSceneDurationS = 10800.0;           // 3 hours
inline constexpr std::int64_t kMaxSceneFrames = 518'400'000;    // 3 hours at 48 kHz (45 min at 192 kHz): a WAV's 4 GiB
inline constexpr std::size_t kMaxSceneKeyframes = 256;
inline constexpr std::size_t kMaxSceneLayers = 64;              // tinnitus, maskers and implant characters together

// Every problem: fields as "keyframe[2].transition_s", messages that say the time ("at 12 s: ...").
SpecErrors validate(const SceneSpec& spec);

// When the last thing on a scene's timeline happens, in seconds (0 for a scene that only holds its
// first state): the end of the last keyframe's move, the end of a layer's ramp in, a layer's
// finite end, an implant character's switch-on. From then on the scene holds its final state
// (the renderer keeps the last state's processors running: `earshot live --scene` plays it until
// stopped). Where a scene has neither duration_s nor inputs to set its length, this is its length.
double last_moment_s(const SceneSpec& spec);

// How scene errors begin, saying when: "at 12 s: ".
std::string at_time(double time_s);

}  // namespace earshot
