#pragma once

#include <string>

namespace core {

// Replaces personal data in free text with placeholders before it is kept for content managers or
// statistics: e-mail addresses → [e-mail], IBANs → [iban], phone numbers and other runs of 6+ digits
// (spaces, dashes, dots, parentheses and a leading + allowed) → [number], and a name after
// "my name is" / "ik heet" / "nazywam się" / … → [name]. Conservative: when unsure, it masks.
std::string MaskPersonalData(const std::string& text);

}  // namespace core
