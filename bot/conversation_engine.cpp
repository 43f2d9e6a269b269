#include "bot/conversation_engine.hpp"

#include <algorithm>

#include "bot/desk_router.hpp"
#include "bot/form.hpp"
#include "core/locales.hpp"
#include "core/privacy.hpp"
#include "knowledge/text.hpp"

namespace bot {

using nlohmann::json;

namespace {

// Commands recognised in every locale's words, whatever the conversation's language.
const std::vector<std::string> kGlobalCommands = {"menu", "human", "language", "stop", "delete", "cancel", "back"};
// Bumped whenever the newsletter consent text changes meaning.
constexpr const char* kNewsletterConsentVersion = "newsletter-consent-1";
const std::vector<std::string> kAudiences = {"labour-migrant",  "knowledge-worker", "cross-border-worker",
                                             "status-holder",   "family-member",    "employer",
                                             "local-resident"};

}  // namespace

// Everything one turn works on.
struct ConversationEngine::TurnContext {
  store::Conversation& conversation;
  const core::InboundMessage& message;
  int64_t now_ms;
  std::shared_ptr<const knowledge::Snapshot> kb;
  json state;
  json profile;
  std::string text;      // the typed text (trimmed)
  std::string lang;
  TurnResult result;

  void Say(std::string reply, std::vector<core::Choice> choices = {}) {
    result.replies.push_back({std::move(reply), std::move(choices)});
  }
  std::string S() const { return state.value("s", "idle"); }
  void Go(const std::string& s) { state["s"] = s; }
};

ConversationEngine::ConversationEngine(knowledge::KnowledgeService& knowledge,
                                       std::shared_ptr<const locales::Localizer> localizer)
    : knowledge_(knowledge), loc_(std::move(localizer)) {
  for (const auto& [lang, catalog] : loc_->catalogs()) {
    for (const auto& [command, words] : catalog.commands) {
      for (const auto& w : words) commands_[lang][command].push_back(knowledge::Fold(w));
    }
    for (const auto& phrase : catalog.danger) {
      std::string f = knowledge::Fold(phrase);
      if (!f.empty()) danger_[lang].push_back(f);
    }
  }
}

std::string ConversationEngine::MatchCommand(const std::string& lang, const std::string& text, bool global_only) const {
  std::string folded = knowledge::Fold(text);
  if (folded.empty()) return "";
  auto check = [&](const std::map<std::string, std::vector<std::string>>& commands, bool only_global) -> std::string {
    for (const auto& [command, words] : commands) {
      if (only_global && std::find(kGlobalCommands.begin(), kGlobalCommands.end(), command) == kGlobalCommands.end()) continue;
      if (std::find(words.begin(), words.end(), folded) != words.end()) return command;
    }
    return "";
  };
  for (const std::string& l : {lang, std::string("en")}) {
    auto it = commands_.find(l);
    if (it == commands_.end()) continue;
    std::string found = check(it->second, global_only);
    if (!found.empty()) return found;
  }
  // The global commands in any other language ("człowiek" in a Dutch conversation).
  for (const auto& [l, commands] : commands_) {
    std::string found = check(commands, true);
    if (!found.empty()) return found;
  }
  return "";
}

bool ConversationEngine::SignalsDanger(const std::string& lang, const std::string& text) const {
  std::string folded = " " + knowledge::Fold(text) + " ";
  for (const std::string& l : {lang, std::string("en")}) {
    auto it = danger_.find(l);
    if (it == danger_.end()) continue;
    for (const auto& phrase : it->second) {
      if (folded.find(phrase) != std::string::npos) return true;
    }
  }
  return false;
}

TurnResult ConversationEngine::Turn(store::Conversation& conversation, const core::InboundMessage& message,
                                    int64_t now_ms) {
  TurnContext t{conversation, message, now_ms, knowledge_.Current(), json::object(), json::object(), "", "", {}};
  t.state = json::parse(conversation.state, nullptr, false);
  if (!t.state.is_object()) t.state = json::object();
  t.profile = json::parse(conversation.profile, nullptr, false);
  if (!t.profile.is_object()) t.profile = json::object();
  t.text = message.text;
  while (!t.text.empty() && std::isspace(static_cast<unsigned char>(t.text.back()))) t.text.pop_back();
  while (!t.text.empty() && std::isspace(static_cast<unsigned char>(t.text.front()))) t.text.erase(t.text.begin());

  // Map a typed number or label to the choice it names.
  std::string payload = message.payload;
  if (payload.empty() && t.state.contains("choices") && t.state["choices"].is_array()) {
    const auto& choices = t.state["choices"];
    std::string folded = knowledge::Fold(t.text);
    size_t number = 0;
    if (!folded.empty() && folded.size() <= 2 && std::all_of(folded.begin(), folded.end(), ::isdigit)) {
      number = static_cast<size_t>(std::stoi(folded));
    }
    for (size_t i = 0; i < choices.size(); ++i) {
      if ((number == i + 1) || (!folded.empty() && knowledge::Fold(choices[i].value("label", "")) == folded)) {
        payload = choices[i].value("id", "");
        break;
      }
    }
  }
  t.state.erase("choices");

  bool first_contact = conversation.lang.empty();
  // Language: chosen explicitly, else kept from the conversation unless the text clearly is another.
  if (!message.lang.empty() && core::IsLocale(message.lang)) {
    conversation.lang = message.lang;
    conversation.lang_source = "given";
  } else if (!t.text.empty() && payload.empty() && MatchCommand(conversation.lang, t.text, false).empty() &&
             (t.S() == "idle" || t.S() == "await_feedback" || first_contact)) {
    knowledge::LanguageHints hints;
    hints.channel_hint = message.language_hint;
    hints.previous = conversation.lang;
    auto guess = t.kb->index->language_identifier().Identify(t.text, hints);
    if (first_contact || guess.source == "detected" || guess.source == "hint") {
      conversation.lang = guess.lang;
      conversation.lang_source = guess.source;
    }
  } else if (conversation.lang.empty()) {
    conversation.lang = core::IsLocale(message.language_hint) ? message.language_hint : "en";
    conversation.lang_source = core::IsLocale(message.language_hint) ? "hint" : "default";
  }
  t.lang = conversation.lang;

  // A report in progress continues while the person waits for staff (e.g. after a danger signal).
  if (conversation.mode == "queued" && t.S() == "report") {
    std::string command = MatchCommand(t.lang, t.text, false);
    if (command != "menu" && command != "human") {
      if (payload.empty() && SignalsDanger(t.lang, t.text)) {
        t.Say(loc_->Format(t.lang, "danger.emergency"));
        t.result.handoff = bot::Handoff{"urgent", "urgent"};
        if (t.state.contains("report")) t.state["report"]["urgent"] = true;
      }
      ContinueReport(t, payload, command);
      conversation.state = t.state.dump();
      conversation.profile = t.profile.dump();
      return std::move(t.result);
    }
  }
  // Human mode: staff answer; the bot stays quiet except to leave the queue.
  if (conversation.mode != "bot") {
    std::string command = MatchCommand(t.lang, t.text, true);
    if (command == "menu" || command == "cancel") {
      conversation.mode = "bot";
      t.Go("idle");
      t.Say(loc_->Format(t.lang, "human.back_to_bot"));
      ShowMenu(t, "menu.prompt");
    } else if (SignalsDanger(t.lang, t.text)) {
      t.Say(loc_->Format(t.lang, "danger.emergency"));
      t.result.handoff = bot::Handoff{"urgent", "urgent"};
    }
    conversation.state = t.state.dump();
    conversation.profile = t.profile.dump();
    return std::move(t.result);
  }


  if (first_contact) {
    t.Say(loc_->Format(t.lang, "greeting") + "\n" +
          loc_->Format(t.lang, "language.offer", {{"language", loc_->LanguageName(t.lang)}}));
  }
  std::string typed_command = payload.empty() ? MatchCommand(t.lang, t.text, false) : "";
  if (t.S() == "report" && typed_command != "menu" && typed_command != "human" && typed_command != "language" &&
      typed_command != "delete" && typed_command != "stop" &&
      (payload.empty() || payload.rfind("form:", 0) == 0)) {
    if (payload.empty() && SignalsDanger(t.lang, t.text)) {
      t.Say(loc_->Format(t.lang, "danger.emergency"));
      t.conversation.mode = "queued";
      t.result.handoff = bot::Handoff{"urgent", "urgent"};
      if (t.state.contains("report")) t.state["report"]["urgent"] = true;
    }
    ContinueReport(t, payload, typed_command);
  } else if (!payload.empty()) {
    HandleChoice(t, payload);
  } else if (std::string command = MatchCommand(t.lang, t.text, false); !command.empty() &&
                                                                        command != "yes" && command != "no" &&
                                                                        command != "skip" && command != "more") {
    HandleCommand(t, command);
  } else if (first_contact && knowledge::Words(knowledge::Fold(t.text)).size() <= 1 &&
             MatchCommand(t.lang, t.text, false).empty()) {
    // "hi", "?" — not a question yet: show what Loket can do.
    auto r = t.kb->index->Search(t.text, {t.lang, {}});
    if (!r.article_id.empty()) {
      Answer(t, r.article_id, true);
    } else {
      ShowMenu(t, "menu.prompt");
    }
  } else {
    HandleText(t);
  }

  // Remember the choices offered, so "2" or a label can answer them next turn.
  json offered = json::array();
  if (!t.result.replies.empty()) {
    for (const auto& c : t.result.replies.back().choices) offered.push_back({{"id", c.id}, {"label", c.label}});
  }
  if (!offered.empty()) t.state["choices"] = offered;
  conversation.state = t.state.dump();
  conversation.profile = t.profile.dump();
  return std::move(t.result);
}

void ConversationEngine::ShowMenu(TurnContext& t, const std::string& lead_key) {
  if (t.S() == "report" && t.state.contains("report")) t.Say(loc_->Format(t.lang, "report.paused"));
  t.Go("idle");
  t.Say(loc_->Format(t.lang, lead_key),
        {{"menu:ask", loc_->Format(t.lang, "menu.ask")},
         {"menu:report", loc_->Format(t.lang, "menu.report")},
         {"menu:human", loc_->Format(t.lang, "menu.human")},
         {"menu:desk", loc_->Format(t.lang, "menu.desk")},
         {"menu:language", loc_->Format(t.lang, "menu.language")},
         {"menu:newsletter", loc_->Format(t.lang, "menu.newsletter")}});
}

void ConversationEngine::ShowLanguages(TurnContext& t) {
  t.Go("choose_language");
  std::vector<core::Choice> choices;
  for (auto l : core::kLocales) {
    std::string code(l);
    choices.push_back({"lang:" + code, loc_->LanguageName(code)});
  }
  t.Say(loc_->Format(t.lang, "language.prompt"), choices);
}

void ConversationEngine::Handoff(TurnContext& t, const std::string& reason, const std::string& priority) {
  if (t.conversation.mode != "bot") {
    t.Say(loc_->Format(t.lang, "human.already"));
    return;
  }
  t.conversation.mode = "queued";
  t.state["unsure"] = 0;
  t.Go("idle");
  t.result.handoff = bot::Handoff{reason, priority};
  t.Say(loc_->Format(t.lang, "human.queued"));
}

void ConversationEngine::HandleCommand(TurnContext& t, const std::string& command) {
  if (command == "menu") return ShowMenu(t, "menu.prompt");
  if (command == "human") return Handoff(t, "asked", "normal");
  if (command == "language") return ShowLanguages(t);
  if (command == "desk") return AskAudience(t);
  if (command == "stop") {
    t.profile["stopped"] = true;
    if (t.profile.contains("newsletter")) t.profile["newsletter"]["subscribed"] = false;
    t.Go("idle");
    return t.Say(loc_->Format(t.lang, "stop.done"));
  }
  if (command == "delete") {
    t.Go("confirm_delete");
    return t.Say(loc_->Format(t.lang, "delete.confirm"),
                 {{"delete:yes", loc_->Format(t.lang, "common.yes")}, {"delete:no", loc_->Format(t.lang, "common.no")}});
  }
  if (command == "cancel") {
    t.Say(loc_->Format(t.lang, "cancel.done"));
    return ShowMenu(t, "menu.prompt");
  }
  if (command == "back") {
    std::string s = t.S();
    if (s == "profile_municipality" || s == "profile_border") return AskAudience(t);
    if (s == "idle") t.Say(loc_->Format(t.lang, "back.nothing"));
    return ShowMenu(t, "menu.prompt");
  }
  if (command == "newsletter") return StartNewsletter(t);
  if (command == "report") return StartReport(t);
  // Commands of other features (report, done, …) outside their flow: treat as a question.
  HandleText(t);
}

void ConversationEngine::HandleChoice(TurnContext& t, const std::string& payload) {
  auto colon = payload.find(':');
  std::string kind = payload.substr(0, colon);
  std::string value = colon == std::string::npos ? "" : payload.substr(colon + 1);
  if (kind == "menu") {
    if (value == "ask") {
      t.Go("idle");
      return t.Say(loc_->Format(t.lang, "ask.prompt"));
    }
    if (value == "human") return Handoff(t, "asked", "normal");
    if (value == "desk") return AskAudience(t);
    if (value == "language") return ShowLanguages(t);
    if (value == "newsletter") return StartNewsletter(t);
    if (value == "report") return StartReport(t);
    return ShowMenu(t, "menu.prompt");
  }
  if (kind == "lang" && core::IsLocale(value)) {
    t.conversation.lang = value;
    t.conversation.lang_source = "given";
    t.lang = value;
    t.Go("idle");
    t.Say(loc_->Format(t.lang, "language.changed", {{"language", loc_->LanguageName(value)}}));
    return ShowMenu(t, "menu.prompt");
  }
  if (kind == "article") return Answer(t, value, true);
  if (kind == "more") {
    const auto* article = t.kb->kb.FindArticle(value);
    if (article == nullptr) return ShowMenu(t, "menu.prompt");
    auto localized = knowledge::Localize(*article, t.lang);
    if (localized.translation == nullptr) return ShowMenu(t, "menu.prompt");
    t.Say(localized.translation->body, {{"menu:ask", loc_->Format(t.lang, "menu.ask")},
                                       {"menu:human", loc_->Format(t.lang, "menu.human")}});
    return;
  }
  if (kind == "fb") {
    std::string article = t.state.value("article", "");
    bool helpful = value == "yes";
    if (!article.empty()) t.result.feedback.push_back({article, t.lang, helpful});
    if (!helpful && t.state.contains("question")) {
      t.result.unanswered.push_back({t.state.value("question", ""), t.lang, t.state.value("confidence", 0.0), {article}});
    }
    t.state.erase("question");
    t.state.erase("confidence");
    t.Go("idle");
    if (helpful) return t.Say(loc_->Format(t.lang, "feedback.thanks"));
    std::vector<core::Choice> choices;
    if (const auto* a = t.kb->kb.FindArticle(article)) {
      for (const auto& r : a->related) {
        if (const auto* ra = t.kb->kb.FindArticle(r); ra != nullptr && choices.size() < 2) {
          choices.push_back({"article:" + r, knowledge::Localize(*ra, t.lang).translation->title});
        }
      }
    }
    choices.push_back({"menu:human", loc_->Format(t.lang, "menu.human")});
    return t.Say(loc_->Format(t.lang, "feedback.sorry"), choices);
  }
  if (kind == "aud" && std::find(kAudiences.begin(), kAudiences.end(), value) != kAudiences.end()) {
    t.profile["audience"] = value;
    return ContinueDeskRouting(t);
  }
  if (kind == "border") {
    t.profile["border_country"] = value == "de" ? "de" : "be";
    return ContinueDeskRouting(t);
  }
  if (kind == "delete") {
    if (value == "yes") {
      t.result.erase_person = true;
      t.profile = json::object();
      t.state = json::object();
      t.conversation.lang_source = "";
      return t.Say(loc_->Format(t.lang, "delete.done"));
    }
    t.Go("idle");
    return t.Say(loc_->Format(t.lang, "delete.cancelled"));
  }
  if (kind == "newsletter") {
    t.Go("idle");
    if (value == "yes") {
      t.profile["newsletter"] = {{"subscribed", true}, {"consent_ms", t.now_ms},
                                 {"consent_text_version", kNewsletterConsentVersion}, {"consent_lang", t.lang}};
      t.profile.erase("stopped");
      return t.Say(loc_->Format(t.lang, "newsletter.subscribed"));
    }
    if (value == "unsubscribe") {
      t.profile["newsletter"]["subscribed"] = false;
      t.profile["newsletter"]["unsubscribed_ms"] = t.now_ms;
      return t.Say(loc_->Format(t.lang, "newsletter.unsubscribed"));
    }
    return t.Say(loc_->Format(t.lang, "newsletter.declined"));
  }
  if (kind == "handoff" && value == "yes") return Handoff(t, "unsure", "normal");
  if (kind == "rate" && value.size() == 1 && value[0] >= '1' && value[0] <= '5') {
    t.result.rating = value[0] - '0';
    t.Go("idle");
    return t.Say(loc_->Format(t.lang, "rating.thanks"));
  }
  if (kind == "report") {
    if (value == "resume" && t.state.contains("report")) {
      t.Go("report");
      DeskRouter router(t.kb->kb.desks);
      FormRunner runner(ReportForm(), *loc_, router);
      auto out = runner.Repeat(t.state["report"], t.lang, t.profile);
      for (auto& r : out.replies) t.result.replies.push_back(std::move(r));
      return;
    }
    t.state.erase("report");
    return StartReport(t);
  }
  ShowMenu(t, "menu.prompt");
}

void ConversationEngine::HandleText(TurnContext& t) {
  std::string s = t.S();
  std::string command = MatchCommand(t.lang, t.text, false);
  if (s == "confirm_delete") {
    if (command == "yes") return HandleChoice(t, "delete:yes");
    if (command == "no") return HandleChoice(t, "delete:no");
    t.Say(loc_->Format(t.lang, "choice.invalid"),
          {{"delete:yes", loc_->Format(t.lang, "common.yes")}, {"delete:no", loc_->Format(t.lang, "common.no")}});
    return;
  }
  if (s == "newsletter_consent" || s == "newsletter_unsub") {
    if (command == "yes") return HandleChoice(t, s == "newsletter_consent" ? "newsletter:yes" : "newsletter:unsubscribe");
    if (command == "no") return HandleChoice(t, "newsletter:no");
  }
  if (s == "profile_municipality") {
    if (command == "skip") {
      t.Go("idle");
      return t.Say(loc_->Format(t.lang, "desk.none"));
    }
    auto router = DeskRouter(t.kb->kb.desks);
    if (const Municipality* m = router.MatchMunicipality(t.text)) {
      t.profile["municipality"] = m->id;
      return ContinueDeskRouting(t);
    }
    return t.Say(loc_->Format(t.lang, "desk.municipality_unknown", {{"name", t.text}}),
                 {{"menu:human", loc_->Format(t.lang, "menu.human")}});
  }
  if (s == "choose_language") {
    std::string folded = knowledge::Fold(t.text);
    for (auto l : core::kLocales) {
      std::string code(l);
      if (folded == code || folded == knowledge::Fold(loc_->LanguageName(code))) return HandleChoice(t, "lang:" + code);
    }
    // Not a language name: treat it as a question.
  }
  if (s == "await_handoff_offer") {
    if (command == "yes") return Handoff(t, "unsure", "normal");
    t.Go("idle");
  }
  if (t.text.empty()) return ShowMenu(t, "menu.prompt");
  if (SignalsDanger(t.lang, t.text)) {
    t.Say(loc_->Format(t.lang, "danger.emergency"));
    t.conversation.mode = "queued";
    t.result.handoff = bot::Handoff{"urgent", "urgent"};
    return;
  }
  AnswerQuestion(t, false);
}

void ConversationEngine::AnswerQuestion(TurnContext& t, bool /*first_contact*/) {
  auto r = t.kb->index->Search(t.text, {t.lang, {}});
  if (!r.article_id.empty()) {
    t.state["unsure"] = 0;
    t.result.topics.push_back({t.lang, r.article_id});
    // Kept (masked) so that a "did not help" can show content managers what was asked.
    t.state["question"] = core::MaskPersonalData(t.text);
    t.state["confidence"] = r.confidence;
    return Answer(t, r.article_id, true);
  }
  t.result.topics.push_back({t.lang, ""});
  t.result.unanswered.push_back({core::MaskPersonalData(t.text), t.lang, r.confidence, r.suggestions});
  int unsure = t.state.value("unsure", 0) + 1;
  t.state["unsure"] = unsure;
  t.Go("idle");
  if (unsure >= 2) {
    t.Go("await_handoff_offer");
    t.state["unsure"] = 0;
    return t.Say(loc_->Format(t.lang, "fallback.offer_human"),
                 {{"handoff:yes", loc_->Format(t.lang, "common.yes")}, {"menu:main", loc_->Format(t.lang, "common.menu")}});
  }
  std::vector<core::Choice> choices;
  for (const auto& id : r.suggestions) {
    if (const auto* a = t.kb->kb.FindArticle(id)) {
      auto localized = knowledge::Localize(*a, t.lang);
      if (localized.translation != nullptr) choices.push_back({"article:" + id, localized.translation->title});
    }
  }
  choices.push_back({"menu:human", loc_->Format(t.lang, "menu.human")});
  t.Say(loc_->Format(t.lang, "fallback.not_sure"), choices);
}

void ConversationEngine::Answer(TurnContext& t, const std::string& article_id, bool with_feedback) {
  const auto* article = t.kb->kb.FindArticle(article_id);
  if (article == nullptr) return ShowMenu(t, "menu.prompt");
  auto localized = knowledge::Localize(*article, t.lang);
  if (localized.translation == nullptr) return ShowMenu(t, "menu.prompt");
  std::string text;
  if (localized.fallback) {
    text = loc_->Format(t.lang, "answer.translation_fallback",
                        {{"language", loc_->LanguageName(t.lang)}, {"fallback", loc_->LanguageName(localized.lang)}}) +
           "\n\n";
  }
  text += localized.translation->answer;
  std::vector<core::Choice> choices = {{"more:" + article_id, loc_->Format(t.lang, "answer.more")}};
  for (const auto& r : article->related) {
    if (choices.size() >= 3) break;
    if (const auto* ra = t.kb->kb.FindArticle(r)) {
      auto rl = knowledge::Localize(*ra, t.lang);
      if (rl.translation != nullptr) choices.push_back({"article:" + r, rl.translation->title});
    }
  }
  if (article_id.rfind("desk-", 0) == 0 || article_id == "contact-human") {
    choices.back() = {"menu:desk", loc_->Format(t.lang, "menu.desk")};
  }
  t.Say(text, choices);
  t.state["article"] = article_id;
  if (with_feedback) {
    t.Go("await_feedback");
    t.Say(loc_->Format(t.lang, "feedback.question"),
          {{"fb:yes", loc_->Format(t.lang, "feedback.yes")}, {"fb:no", loc_->Format(t.lang, "feedback.no")}});
  }
}

void ConversationEngine::AskAudience(TurnContext& t) {
  t.Go("profile_audience");
  std::vector<core::Choice> choices;
  for (const auto& a : kAudiences) choices.push_back({"aud:" + a, loc_->Format(t.lang, "audience." + a)});
  t.Say(loc_->Format(t.lang, "desk.audience_question"), choices);
}

void ConversationEngine::ContinueDeskRouting(TurnContext& t) {
  std::string audience = t.profile.value("audience", "");
  if (audience.empty()) return AskAudience(t);
  if (DeskRouter::NeedsBorderCountry(audience) && !t.profile.contains("border_country")) {
    t.Go("profile_border");
    return t.Say(loc_->Format(t.lang, "desk.border_question"),
                 {{"border:be", loc_->Format(t.lang, "border.belgium")}, {"border:de", loc_->Format(t.lang, "border.germany")}});
  }
  if (DeskRouter::NeedsMunicipality(audience) && !t.profile.contains("municipality")) {
    t.Go("profile_municipality");
    return t.Say(loc_->Format(t.lang, "desk.municipality_question"));
  }
  ShowDesk(t);
}

void ConversationEngine::ShowDesk(TurnContext& t) {
  t.Go("idle");
  DeskRouter router(t.kb->kb.desks);
  const Municipality* municipality = nullptr;
  std::string municipality_id = t.profile.value("municipality", "");
  if (!municipality_id.empty()) {
    // Municipality ids are names too: match them back.
    municipality = router.MatchMunicipality(municipality_id);
  }
  json desk = router.Route(t.profile.value("audience", ""), municipality, t.profile.value("border_country", ""));
  if (municipality != nullptr) t.profile["region"] = municipality->region;
  if (!desk.is_null()) t.profile["desk"] = desk.value("id", "");
  if (desk.is_null()) return t.Say(loc_->Format(t.lang, "desk.none"), {{"menu:human", loc_->Format(t.lang, "menu.human")}});
  std::string description;
  if (desk.contains("description") && desk["description"].is_object()) {
    description = desk["description"].value(t.lang, desk["description"].value("en", ""));
  }
  std::string text = loc_->Format(t.lang, "desk.result", {{"name", desk.value("name", "")}, {"description", description}});
  const json contact = desk.value("contact", json::object());
  for (const char* field : {"phone", "email", "website", "address"}) {
    if (contact.contains(field) && contact[field].is_string()) {
      text += "\n" + loc_->Format(t.lang, std::string("desk.contact_") + field, {{field, contact[field].get<std::string>()}});
    }
  }
  if (desk.contains("opening_hours") && desk["opening_hours"].is_array()) {
    std::string hours;
    for (const auto& h : desk["opening_hours"]) {
      std::vector<std::string> days;
      for (const auto& d : h.value("days", json::array())) days.push_back(loc_->Format(t.lang, "weekday." + d.get<std::string>()));
      std::string span = days.empty() ? "" : days.size() > 2 ? days.front() + "–" + days.back() : days.front();
      if (days.size() == 2) span += ", " + days.back();
      hours += (hours.empty() ? "" : "; ") + span + " " + h.value("open", "") + "–" + h.value("close", "");
    }
    text += "\n" + loc_->Format(t.lang, "desk.hours", {{"hours", hours}});
    if (desk.contains("opening_hours_note")) text += " " + loc_->Format(t.lang, "desk.hours_unconfirmed");
  }
  t.Say(text, {{"menu:human", loc_->Format(t.lang, "menu.human")}, {"menu:main", loc_->Format(t.lang, "common.menu")}});
}

void ConversationEngine::StartNewsletter(TurnContext& t) {
  bool subscribed = t.profile.contains("newsletter") && t.profile["newsletter"].value("subscribed", false);
  if (subscribed) {
    t.Go("newsletter_unsub");
    return t.Say(loc_->Format(t.lang, "newsletter.already"),
                 {{"newsletter:unsubscribe", loc_->Format(t.lang, "common.yes")}, {"newsletter:no", loc_->Format(t.lang, "common.no")}});
  }
  t.Go("newsletter_consent");
  t.Say(loc_->Format(t.lang, "newsletter.consent"),
        {{"newsletter:yes", loc_->Format(t.lang, "common.yes")}, {"newsletter:no", loc_->Format(t.lang, "common.no")}});
}

}  // namespace bot

namespace bot {

void ConversationEngine::StartReport(TurnContext& t) {
  if (t.state.contains("report") && t.state["report"].is_object() && t.S() != "report") {
    t.Go("report_resume");
    return t.Say(loc_->Format(t.lang, "report.resume_question"),
                 {{"report:resume", loc_->Format(t.lang, "report.resume")},
                  {"report:discard", loc_->Format(t.lang, "report.discard")}});
  }
  DeskRouter router(t.kb->kb.desks);
  FormRunner runner(ReportForm(), *loc_, router);
  json form_state;
  auto out = runner.Start(form_state, t.lang, t.profile);
  t.state["report"] = form_state;
  t.Go("report");
  for (auto& r : out.replies) t.result.replies.push_back(std::move(r));
}

void ConversationEngine::ContinueReport(TurnContext& t, const std::string& payload, const std::string& command) {
  DeskRouter router(t.kb->kb.desks);
  FormRunner runner(ReportForm(), *loc_, router);
  if (!t.state.contains("report") || !t.state["report"].is_object()) return StartReport(t);
  json& form_state = t.state["report"];
  auto out = runner.Handle(form_state, t.lang, t.profile, t.message, t.text, payload, command);
  for (auto& r : out.replies) t.result.replies.push_back(std::move(r));
  switch (out.status) {
    case FormOutcome::Status::kActive:
      return;
    case FormOutcome::Status::kPaused:
      t.Go("idle");
      return t.Say(loc_->Format(t.lang, "report.paused"));
    case FormOutcome::Status::kCancelled:
      t.state.erase("report");
      t.Say(loc_->Format(t.lang, "report.cancelled"));
      return ShowMenu(t, "menu.prompt");
    case FormOutcome::Status::kSubmitted: {
      json submission = form_state["answers"];
      submission["lang"] = t.lang;
      submission["audience"] = t.profile.value("audience", "");
      submission["consent_ms"] = t.now_ms;
      submission["urgent"] = form_state.value("urgent", false);
      t.result.submit_report = submission.dump();
      bool contact = submission.value("contact_mode", "") == "contact";
      // The reference and the office are known only when the report is stored: the caller fills
      // in these markers in the same transaction.
      t.Say(loc_->Format(t.lang, "report.sent",
                         {{"ref", std::string(kReportRefMarker)},
                          {"office", std::string(kReportOfficeMarker)},
                          {"contact", contact ? "yes" : "no"}}),
            {{"menu:main", loc_->Format(t.lang, "common.menu")}});
      t.state.erase("report");
      t.Go("idle");
      return;
    }
  }
}

}  // namespace bot
