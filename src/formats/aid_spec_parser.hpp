#pragma once
// The hearing-aid grammar of `--aid` (and of every front end that takes an aid as text): items
// separated by commas,
//   RULE                     the same aid on both ears, e.g. "nal-r"
//   left=RULE, right=RULE    an aid on the named ear(s) only, e.g. "left=nal-r" for a bimodal
//                            listener whose right ear has an implant (not mixed with a bare RULE)
//   wdrc                     wide-dynamic-range compression with an output limiter on every aid
//                            given (hearing_aid/multiband_compressor_design.hpp), e.g. "fig6,wdrc"
//   attack=MS, release=MS    its ANSI S3.22 attack and release times (default 5 and 50 ms)
//   mpo=DB                   its maximum power output, dB SPL (default: from the ear's loss)
//   nr                       single-channel noise reduction in front of every aid given
//                            (hearing_aid/noise_reduction.hpp), e.g. "nal-r,nr", "fig6,wdrc,nr"
//   nr-floor=DB              its gain floor, dB (default -12; -30 to -3); needs nr
// attack, release and mpo need wdrc. RULE is a prescription: nal-r, nal-rp, fig6, half-gain or pogo
// (audiology/prescription.hpp). Text in, Result out; errors name the field "aid".
#include <optional>
#include <string_view>

#include "model/aid_settings.hpp"
#include "model/listener.hpp"
#include "support/spec_error.hpp"

namespace earshot {

struct AidSpec {
  std::optional<AidSettings> left, right;
};

Result<AidSpec> parse_aid_spec(std::string_view text);

// The listener with these aids on (an ear the spec leaves out keeps what it had), validated: an
// aid on an ear that hears only through an implant is an error naming "left.aid" or "right.aid".
Result<Listener> with_aids(Listener listener, const AidSpec& aids);

}  // namespace earshot
