#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/locales.hpp"
#include "knowledge/kb.hpp"

namespace fakes {

// A small knowledge base that passes validation: three articles in all 16 locales, the reference
// files, and topics.json requiring the three. Tests mutate it to trigger each validation rule.
inline knowledge::Documents ValidDocuments() {
  using nlohmann::ordered_json;
  struct Topic {
    const char* id;
    const char* en_title;
    const char* pl_title;
    std::vector<std::string> en_questions;
    std::vector<std::string> pl_questions;
  };
  std::vector<Topic> topics = {
      {"minimum-wage", "Minimum wage", "Płaca minimalna",
       {"what is the minimum wage", "minimum hourly pay", "how much per hour at least", "lowest legal salary",
        "minimum wage 2026", "is 10 euro an hour legal"},
       {"ile wynosi płaca minimalna", "minimalna stawka godzinowa", "najniższa krajowa holandia",
        "ile minimum na godzine", "wypłata poniżej minimum", "stawka 10 euro legalna"}},
      {"health-insurance", "Health insurance", "Ubezpieczenie zdrowotne",
       {"do i need health insurance", "zorgverzekering mandatory", "which insurer to choose", "insurance deductible",
        "eigen risico amount", "insurance for my children"},
       {"czy musze miec ubezpieczenie", "zorgverzekering obowiazkowa", "jakie ubezpieczenie wybrac",
        "eigen risico ile", "ubezpieczenie dla dzieci", "ubezpieczenie zdrowotne koszt"}},
      {"bsn", "Citizen service number (BSN)", "Numer BSN",
       {"what is a bsn", "where do i get my bsn", "lost my bsn number", "employer asks for bsn",
        "burgerservicenummer meaning", "bsn for my wife"},
       {"co to jest bsn", "gdzie dostane bsn", "zgubilem numer bsn", "pracodawca chce bsn",
        "burgerservicenummer co to", "bsn dla zony"}},
  };
  knowledge::Documents docs;
  ordered_json topics_json = ordered_json::object();
  topics_json["required_locales"] = ordered_json::array();
  for (auto l : core::kLocales) topics_json["required_locales"].push_back(std::string(l));
  topics_json["audiences"] = {"labour-migrant", "employer"};
  topics_json["topics"] = ordered_json::array();
  for (size_t i = 0; i < topics.size(); ++i) {
    const Topic& t = topics[i];
    topics_json["topics"].push_back({{"id", t.id}});
    knowledge::Article a;
    a.id = t.id;
    a.source_locale = "en";
    a.audiences = {"labour-migrant"};
    a.related = {topics[(i + 1) % topics.size()].id};
    a.organisations = {"uwv"};
    a.sources = {{"Government.nl", "https://www.government.nl/"}};
    a.last_reviewed = "2026-11-01";
    for (auto l : core::kLocales) {
      std::string lang(l);
      knowledge::Translation tr;
      if (lang != "en") {
        tr.from_locale = "en";
        tr.from_version = 1;
      }
      bool pl = lang == "pl";
      tr.title = pl ? t.pl_title : (lang == "en" ? std::string(t.en_title) : std::string(t.en_title) + " (" + lang + ")");
      tr.answer = tr.title + ": the answer. Type 'menu' for more.";
      tr.body = tr.title + ": the longer body.";
      tr.questions = pl ? t.pl_questions : t.en_questions;
      if (lang != "en" && !pl) {
        for (auto& q : tr.questions) q += " " + lang;
      }
      tr.keywords = {tr.title, std::string(t.id), "loket-" + lang};
      a.translations[lang] = tr;
    }
    docs["kb/" + a.id + ".json"] = knowledge::SerializeArticle(a);
  }
  auto description = [] {
    ordered_json d = ordered_json::object();
    for (auto l : core::kLocales) d[std::string(l)] = "Helps people (" + std::string(l) + ").";
    return d;
  };
  ordered_json desks = ordered_json::object();
  desks["regions"] = ordered_json::array({{{"id", "west-brabant"}, {"name", "West-Brabant"}}});
  ordered_json desk_list = ordered_json::array();
  for (auto [id, kind] : {std::pair<const char*, const char*>{"win-west-brabant", "win"}, {"hecs", "hecs"}, {"gip-belgium", "gip"}}) {
    ordered_json d = ordered_json::object();
    d["id"] = id;
    d["kind"] = kind;
    d["name"] = id;
    d["serves"] = {"labour-migrant"};
    d["regions"] = std::string(kind) == "win" ? ordered_json::array({"west-brabant"}) : ordered_json::array();
    d["contact"] = {{"website", "https://example.org/"}};
    d["description"] = description();
    desk_list.push_back(d);
  }
  desks["desks"] = desk_list;
  desks["municipalities"] = ordered_json::array(
      {{{"id", "breda"}, {"name", "Breda"}, {"region", "west-brabant"}, {"aliases", {"breda"}}, {"contact", {{"website", "https://www.breda.nl"}}}}});
  ordered_json orgs = ordered_json::object();
  orgs["organisations"] = ordered_json::array(
      {{{"id", "uwv"}, {"name", "UWV"}, {"kind", "government"}, {"contact", {{"website", "https://www.uwv.nl"}}}, {"description", description()}}});
  docs["desks.json"] = knowledge::SerializeJson(desks);
  docs["organisations.json"] = knowledge::SerializeJson(orgs);
  docs["topics.json"] = knowledge::SerializeJson(topics_json);
  ordered_json oos = ordered_json::object();
  oos["examples"] = {{"en", {"is the weather nice today", "will it rain this weekend", "tell me a joke",
                              "who won the football match", "recipe for pancakes", "cheap flights to spain",
                              "what is 17 times 23", "are you a robot"}}};
  docs["out-of-scope.json"] = knowledge::SerializeJson(oos);
  return docs;
}

}  // namespace fakes
