#include "bot/form.hpp"

#include <algorithm>

#include "core/locales.hpp"
#include "knowledge/text.hpp"

namespace bot {

using nlohmann::json;

namespace {

constexpr const char* kSummaryStep = "__summary";

std::vector<locales::Arg> NoArgs(const json&) { return {}; }

}  // namespace

std::string NormaliseContact(const std::string& text) {
  std::string t = text;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(t.begin());
  auto at = t.find('@');
  if (at != std::string::npos) {
    if (at == 0 || t.find('@', at + 1) != std::string::npos || t.find(' ') != std::string::npos) return "";
    auto dot = t.find('.', at);
    if (dot == std::string::npos || dot == at + 1 || dot + 1 >= t.size() || t.back() == '.') return "";
    std::string lower;
    for (char c : t) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return lower;
  }
  std::string digits;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && i == 0) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return "";
    }
  }
  size_t n = digits.size() - (digits.rfind('+', 0) == 0 ? 1 : 0);
  if (n < 8 || n > 15) return "";
  return digits;
}

const FormDefinition& ReportForm() {
  static const FormDefinition kForm = [] {
    FormDefinition f;
    f.id = "report";
    f.intro_key = "report.intro";
    std::vector<Option> standard = {{"wages", "report.category.wages"},
                                    {"hours", "report.category.hours"},
                                    {"safety", "report.category.safety"},
                                    {"housing", "report.category.housing"},
                                    {"intimidation", "report.category.intimidation"},
                                    {"discrimination", "report.category.discrimination"},
                                    {"exploitation", "report.category.exploitation"},
                                    {"other", "report.category.other"}};
    std::vector<Option> residents = {{"nuisance", "report.category.nuisance"},
                                     {"overcrowding", "report.category.overcrowding"},
                                     {"housing", "report.category.housing"},
                                     {"discrimination", "report.category.discrimination"},
                                     {"other", "report.category.other"}};
    Step category{"category", StepKind::kChoice, "report.category_question"};
    category.options = standard;
    category.options_for = [standard, residents](const json& profile) {
      return profile.value("audience", "") == "local-resident" ? residents : standard;
    };
    category.summary_key = "report.field.category";
    Step what{"what", StepKind::kMultiText, "report.what_question"};
    what.summary_key = "report.field.what";
    Step where{"where", StepKind::kMunicipality, "report.where_question"};
    where.summary_key = "report.field.where";
    Step address{"address", StepKind::kText, "report.address_question", true};
    address.summary_key = "report.field.address";
    Step who{"who", StepKind::kText, "report.who_question", true};
    who.summary_key = "report.field.who";
    Step when{"when", StepKind::kText, "report.when_question", true};
    when.summary_key = "report.field.when";
    Step ongoing{"ongoing", StepKind::kYesNo, "report.ongoing_question", true};
    ongoing.summary_key = "report.field.ongoing";
    Step others{"others", StepKind::kCount, "report.others_question", true};
    others.summary_key = "report.field.others";
    Step evidence{"evidence", StepKind::kAttachments, "report.evidence_question", true};
    evidence.summary_key = "report.field.evidence";
    Step contact_mode{"contact_mode", StepKind::kChoice, "report.contact_question"};
    contact_mode.options = {{"anonymous", "report.contact.anonymous"}, {"contact", "report.contact.contact"}};
    Step contact{"contact", StepKind::kContact, "report.contact_detail_question"};
    contact.skip_if = [](const json& a) { return a.value("contact_mode", "") != "contact"; };
    contact.summary_key = "report.field.contact";
    Step contact_lang{"contact_lang", StepKind::kLanguage, "report.language_question"};
    contact_lang.skip_if = [](const json& a) { return a.value("contact_mode", "") != "contact"; };
    Step consent{"consent", StepKind::kConsent, "report.consent_question"};
    consent.prompt_args = [](const json& a) {
      return std::vector<locales::Arg>{{"contact", a.value("contact_mode", "") == "contact" ? "yes" : "no"}};
    };
    f.steps = {category, what, where, address, who, when, ongoing, others, evidence, contact_mode, contact, contact_lang, consent};
    return f;
  }();
  return kForm;
}

FormRunner::FormRunner(const FormDefinition& form, const locales::Localizer& localizer, const DeskRouter& router)
    : form_(form), loc_(localizer), router_(router) {}

const Step* FormRunner::Find(const std::string& id) const {
  for (const auto& s : form_.steps) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::vector<Option> FormRunner::OptionsOf(const Step& step, const json& profile) const {
  return step.options_for ? step.options_for(profile) : step.options;
}

FormOutcome FormRunner::Start(json& state, const std::string& lang, const json& profile) const {
  state = json{{"step", form_.steps.front().id}, {"answers", json::object()}, {"history", json::array()}};
  return Ask(state, lang, profile, loc_.Format(lang, form_.intro_key));
}

FormOutcome FormRunner::Repeat(const json& state, const std::string& lang, const json& profile) const {
  json copy = state;
  return Ask(copy, lang, profile, "");
}

FormOutcome FormRunner::Ask(json& state, const std::string& lang, const json& profile, const std::string& lead) const {
  FormOutcome out;
  std::string id = state.value("step", "");
  if (id == kSummaryStep) return Summary(state, lang);
  const Step* step = Find(id);
  if (step == nullptr) return Summary(state, lang);
  std::string text = lead.empty() ? "" : lead + "\n\n";
  text += loc_.Format(lang, step->prompt_key, step->prompt_args ? step->prompt_args(state["answers"]) : NoArgs(state));
  std::vector<core::Choice> choices;
  switch (step->kind) {
    case StepKind::kChoice:
      for (const auto& o : OptionsOf(*step, profile)) choices.push_back({"form:" + o.id, loc_.Format(lang, o.label_key)});
      break;
    case StepKind::kYesNo:
    case StepKind::kConsent:
      choices = {{"form:yes", loc_.Format(lang, "common.yes")}, {"form:no", loc_.Format(lang, "common.no")}};
      break;
    case StepKind::kLanguage:
      choices.push_back({"form:" + lang, loc_.LanguageName(lang)});
      for (auto l : core::kLocales) {
        if (std::string(l) != lang) choices.push_back({"form:" + std::string(l), loc_.LanguageName(std::string(l))});
      }
      break;
    default:
      if (step->optional) choices.push_back({"form:skip", loc_.Format(lang, "common.skip")});
      break;
  }
  if (!state["history"].empty()) choices.push_back({"form:back", loc_.Format(lang, "common.back")});
  out.replies.push_back({text, choices});
  return out;
}

void FormRunner::Advance(json& state) const {
  std::string current = state.value("step", "");
  if (state.value("editing", false)) {
    state["step"] = kSummaryStep;
    state.erase("editing");
    return;
  }
  state["history"].push_back(current);
  bool found = false;
  for (const auto& s : form_.steps) {
    if (found && !(s.skip_if && s.skip_if(state["answers"]))) {
      state["step"] = s.id;
      return;
    }
    if (s.id == current) found = true;
  }
  state["step"] = kSummaryStep;
}

std::string FormRunner::Display(const Step& step, const json& value, const std::string& lang) const {
  if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) return "–";
  switch (step.kind) {
    case StepKind::kChoice:
      for (const auto& o : step.options_for ? step.options_for(json::object()) : step.options) {
        if (o.id == value) return loc_.Format(lang, o.label_key);
      }
      for (const auto& o : step.options) {
        if (o.id == value) return loc_.Format(lang, o.label_key);
      }
      return value.dump();
    case StepKind::kMultiText: {
      std::string joined;
      for (const auto& v : value) joined += (joined.empty() ? "" : " ") + v.get<std::string>();
      return joined;
    }
    case StepKind::kMunicipality:
      return value == "unknown" ? loc_.Format(lang, "report.unknown") : value.value("name", std::string("–"));
    case StepKind::kYesNo:
      return loc_.Format(lang, value == "yes" ? "common.yes" : "common.no");
    case StepKind::kCount:
      return value == "unknown" ? loc_.Format(lang, "report.unknown") : value.dump();
    case StepKind::kAttachments:
      return std::to_string(value.size());
    default:
      return value.is_string() ? value.get<std::string>() : value.dump();
  }
}

FormOutcome FormRunner::Summary(json& state, const std::string& lang) const {
  state["step"] = kSummaryStep;
  FormOutcome out;
  std::string text = loc_.Format(lang, "report.summary") + "\n";
  std::vector<core::Choice> choices = {{"form:confirm", loc_.Format(lang, "report.confirm")}};
  const json& answers = state["answers"];
  for (const auto& s : form_.steps) {
    if (s.summary_key.empty()) continue;
    if (s.skip_if && s.skip_if(answers)) {
      if (s.id == "contact") text += "\n" + loc_.Format(lang, s.summary_key) + ": " + loc_.Format(lang, "report.anonymous");
      continue;
    }
    json value = answers.contains(s.id) ? answers[s.id] : json();
    text += "\n" + loc_.Format(lang, s.summary_key) + ": " + Display(s, value, lang);
    choices.push_back({"form:change:" + s.id, loc_.Format(lang, "report.change", {{"field", loc_.Format(lang, s.summary_key)}})});
  }
  text += "\n\n" + loc_.Format(lang, "report.summary_prompt");
  out.replies.push_back({text, choices});
  return out;
}

FormOutcome FormRunner::Handle(json& state, const std::string& lang, const json& profile,
                               const core::InboundMessage& message, const std::string& text, const std::string& payload,
                               const std::string& command) const {
  FormOutcome out;
  std::string value = payload.rfind("form:", 0) == 0 ? payload.substr(5) : "";
  std::string cmd = command;
  if (value == "back" || value == "skip" || value == "confirm") cmd = value;

  if (cmd == "cancel") {
    out.status = FormOutcome::Status::kCancelled;
    return out;
  }
  if (cmd == "pause") {
    out.status = FormOutcome::Status::kPaused;
    return out;
  }
  if (cmd == "back") {
    if (state.value("step", "") == kSummaryStep && !state["history"].empty()) {
      state["step"] = state["history"].back();
      state["history"].erase(state["history"].size() - 1);
    } else if (!state["history"].empty()) {
      state["step"] = state["history"].back();
      state["history"].erase(state["history"].size() - 1);
    } else {
      out = Ask(state, lang, profile, loc_.Format(lang, "back.nothing"));
      return out;
    }
    state.erase("editing");
    return Ask(state, lang, profile, "");
  }

  std::string step_id = state.value("step", "");
  if (step_id == kSummaryStep) {
    if (cmd == "confirm" || cmd == "yes") {
      out.status = FormOutcome::Status::kSubmitted;
      return out;
    }
    // "change where", a tapped "change" choice, or a field's label.
    std::string target;
    if (value.rfind("change:", 0) == 0) target = value.substr(7);
    std::string folded = knowledge::Fold(text);
    for (const auto& s : form_.steps) {
      if (!target.empty() || s.summary_key.empty()) continue;
      std::string label = knowledge::Fold(loc_.Format(lang, s.summary_key));
      std::string english = knowledge::Fold(loc_.Format("en", s.summary_key));
      if (folded.find(label) != std::string::npos || folded.find(english) != std::string::npos ||
          folded.find(s.id) != std::string::npos) {
        if (cmd == "change" || folded.size() > label.size()) target = s.id;
      }
    }
    if (Find(target) != nullptr) {
      state["step"] = target;
      state["editing"] = true;
      if (target == "contact") state["answers"]["contact_mode"] = "contact";
      return Ask(state, lang, profile, "");
    }
    return Summary(state, lang);
  }

  const Step* step = Find(step_id);
  if (step == nullptr) return Summary(state, lang);
  json& answers = state["answers"];
  auto invalid = [&](const std::string& key, std::vector<locales::Arg> args = {}) {
    return Ask(state, lang, profile, loc_.Format(lang, key, args));
  };
  if (cmd == "skip" && step->optional && step->kind != StepKind::kMultiText) {
    if (step->kind == StepKind::kCount || step->kind == StepKind::kMunicipality) answers[step->id] = "unknown";
    else if (step->kind == StepKind::kAttachments) answers[step->id] = answers.value(step->id, json::array());
    else answers[step->id] = "";
    Advance(state);
    return Ask(state, lang, profile, "");
  }
  switch (step->kind) {
    case StepKind::kChoice: {
      for (const auto& o : OptionsOf(*step, profile)) {
        if (o.id == value) {
          answers[step->id] = o.id;
          Advance(state);
          return Ask(state, lang, profile, "");
        }
      }
      return invalid("choice.invalid");
    }
    case StepKind::kMultiText: {
      if (cmd == "done") {
        if (!answers.contains(step->id) || answers[step->id].empty()) return invalid("report.what_empty");
        Advance(state);
        return Ask(state, lang, profile, "");
      }
      if (text.empty()) return invalid("report.what_empty");
      if (!answers.contains(step->id) || !answers[step->id].is_array() || state.value("editing", false)) {
        if (!answers.contains(step->id) || !answers[step->id].is_array()) answers[step->id] = json::array();
      }
      answers[step->id].push_back(text);
      out.replies.push_back({loc_.Format(lang, "report.what_more"), {}});
      return out;
    }
    case StepKind::kText:
      if (text.empty()) return invalid("choice.invalid");
      answers[step->id] = text;
      Advance(state);
      return Ask(state, lang, profile, "");
    case StepKind::kMunicipality: {
      if (cmd == "skip" || command == "skip") {
        answers[step->id] = "unknown";
        Advance(state);
        return Ask(state, lang, profile, "");
      }
      const Municipality* m = router_.MatchMunicipality(text);
      if (m == nullptr) return invalid("report.where_unknown", {{"name", text}});
      answers[step->id] = {{"id", m->id}, {"name", m->name}, {"region", m->region}};
      Advance(state);
      return Ask(state, lang, profile, "");
    }
    case StepKind::kYesNo:
    case StepKind::kConsent: {
      bool yes = value == "yes" || cmd == "yes";
      bool no = value == "no" || cmd == "no";
      if (step->kind == StepKind::kConsent) {
        if (!yes) return invalid("report.consent_required");
        answers[step->id] = {{"given", true}, {"ts_ms", 0}};
      } else {
        if (!yes && !no) return invalid("choice.invalid");
        answers[step->id] = yes ? "yes" : "no";
      }
      Advance(state);
      return Ask(state, lang, profile, "");
    }
    case StepKind::kCount: {
      std::string digits;
      for (char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
        else if (!std::isspace(static_cast<unsigned char>(c)) && c != '~' && c != '+') { digits.clear(); break; }
      }
      if (digits.empty() || digits.size() > 6) return invalid("report.others_invalid");
      answers[step->id] = std::stoi(digits);
      Advance(state);
      return Ask(state, lang, profile, "");
    }
    case StepKind::kAttachments: {
      if (!answers.contains(step->id)) answers[step->id] = json::array();
      for (const auto& m : message.media) answers[step->id].push_back(m);
      if (cmd == "done") {
        Advance(state);
        return Ask(state, lang, profile, "");
      }
      if (!message.media.empty()) {
        out.replies.push_back({loc_.Format(lang, "report.evidence_received",
                                           {{"count", static_cast<int64_t>(answers[step->id].size())}}),
                               {{"form:skip", loc_.Format(lang, "common.skip")}}});
        return out;
      }
      return invalid("report.evidence_question");
    }
    case StepKind::kContact: {
      std::string contact = NormaliseContact(text);
      if (contact.empty()) return invalid("report.contact_invalid");
      answers[step->id] = contact;
      Advance(state);
      return Ask(state, lang, profile, "");
    }
    case StepKind::kLanguage: {
      std::string chosen = value;
      if (chosen.empty()) {
        std::string folded = knowledge::Fold(text);
        for (auto l : core::kLocales) {
          if (folded == std::string(l) || folded == knowledge::Fold(loc_.LanguageName(std::string(l)))) chosen = std::string(l);
        }
      }
      if (!core::IsLocale(chosen)) return invalid("choice.invalid");
      answers[step->id] = chosen;
      Advance(state);
      return Ask(state, lang, profile, "");
    }
  }
  return Ask(state, lang, profile, "");
}

}  // namespace bot
