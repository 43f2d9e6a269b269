#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/desk_router.hpp"
#include "core/message.hpp"
#include "locales/localizer.hpp"

namespace bot {

// The kinds of question a form can ask; each knows how to read and validate an answer.
enum class StepKind {
  kChoice,        // one of `options`
  kMultiText,     // free text over several messages, until "done"
  kText,          // one free-text answer
  kMunicipality,  // a Noord-Brabant municipality, or "don't know"
  kYesNo,
  kCount,         // a whole number, or "don't know"
  kAttachments,   // media sent through the channel, until "done"
  kContact,       // a phone number or e-mail address
  kLanguage,      // one of the 16 locales
  kConsent,       // explicit yes to a statement
};

struct Option {
  std::string id;
  std::string label_key;  // catalog key
};

// One question of a form. Plain data plus rules.
struct Step {
  Step(std::string step_id, StepKind step_kind, std::string prompt, bool is_optional = false)
      : id(std::move(step_id)), kind(step_kind), prompt_key(std::move(prompt)), optional(is_optional) {}
  std::string id;
  StepKind kind;
  std::string prompt_key;
  bool optional = false;                // "skip" allowed
  std::vector<Option> options;          // for kChoice
  // Options depending on the person's profile (overrides `options` when set).
  std::function<std::vector<Option>(const nlohmann::json& profile)> options_for;
  // Skip this step given the answers so far.
  std::function<bool(const nlohmann::json& answers)> skip_if;
  // Arguments for the prompt (e.g. select on an earlier answer).
  std::function<std::vector<locales::Arg>(const nlohmann::json& answers)> prompt_args;
  std::string summary_key;              // label in the summary; empty = not shown
};

// A declarative form: its steps in order. Plain data.
struct FormDefinition {
  std::string id;
  std::string intro_key;
  std::vector<Step> steps;
};

// What happened to a form in one turn.
struct FormOutcome {
  enum class Status { kActive, kSubmitted, kCancelled, kPaused } status = Status::kActive;
  std::vector<core::Reply> replies;
};

// Runs any FormDefinition over a conversation: asks each step in turn (skipping by rule),
// validates answers and re-asks with a reason, supports back, cancel, pause, a summary with
// "change <field>", and resumes from its JSON state after a restart. Stateless itself; the state
// is the JSON it is given. Thread-safe.
class FormRunner {
 public:
  FormRunner(const FormDefinition& form, const locales::Localizer& localizer, const DeskRouter& router);

  // Starts the form: returns the intro and first question; `state` is reset.
  FormOutcome Start(nlohmann::json& state, const std::string& lang, const nlohmann::json& profile) const;
  // Handles one message. `payload` is a tapped choice ("form:<value>"), `command` a recognised
  // command word ("back", "cancel", "pause", "done", "skip", "yes", "no", "confirm", "change").
  FormOutcome Handle(nlohmann::json& state, const std::string& lang, const nlohmann::json& profile,
                     const core::InboundMessage& message, const std::string& text, const std::string& payload,
                     const std::string& command) const;
  // Re-asks the current question (after a pause or a resume).
  FormOutcome Repeat(const nlohmann::json& state, const std::string& lang, const nlohmann::json& profile) const;

 private:
  const Step* Find(const std::string& id) const;
  FormOutcome Ask(nlohmann::json& state, const std::string& lang, const nlohmann::json& profile,
                  const std::string& lead) const;
  void Advance(nlohmann::json& state) const;
  FormOutcome Summary(nlohmann::json& state, const std::string& lang) const;
  std::string Display(const Step& step, const nlohmann::json& value, const std::string& lang) const;
  std::vector<Option> OptionsOf(const Step& step, const nlohmann::json& profile) const;

  const FormDefinition& form_;
  const locales::Localizer& loc_;
  const DeskRouter& router_;
};

// The misstanden report: category, what happened, where, who, when, still going on, others
// affected, evidence, anonymous or contact, consent.
const FormDefinition& ReportForm();

// Validates and normalises a phone number (8–15 digits, optional +) or e-mail address; empty when
// neither.
std::string NormaliseContact(const std::string& text);

}  // namespace bot
