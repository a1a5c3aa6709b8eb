#pragma once
// A hearing aid's settings on one ear, as a user gives them: which prescription sets its gains
// (audiology/prescription.hpp). The aid sits in front of the ear's model and amplifies the
// free-field sound by the prescribed real-ear insertion gain (hearing_aid/). Plain data.
#include "audiology/prescription.hpp"

namespace earshot {

struct AidSettings {
  // A linear aid gives the rule's gain at every input level; for a compressive rule (fig6) that
  // is its 65 dB SPL (conversational speech) row.
  PrescriptionRule prescription = PrescriptionRule::nal_r;
  bool operator==(const AidSettings&) const = default;
};

}  // namespace earshot
