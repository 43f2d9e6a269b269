#include "knowledge/index.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <cmath>
#include <future>
#include <set>
#include <thread>
#include <unordered_set>

#include "core/locales.hpp"
#include "knowledge/text.hpp"

namespace knowledge {

namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.5;
constexpr float kTitleWeight = 2.0f, kKeywordWeight = 2.0f, kQuestionWeight = 1.5f, kAnswerWeight = 1.0f,
                kBodyWeight = 0.5f;
constexpr double kTrigramWeight = 0.35;  // share of a trigram feature relative to a word feature

int LocaleIndexOf(const std::string& lang) {
  for (size_t i = 0; i < core::kLocales.size(); ++i) {
    if (core::kLocales[i] == lang) return static_cast<int>(i);
  }
  return -1;
}

// Words plus character trigrams of each word (marked with '#'), and optionally pairs of adjacent
// words (marked with '~'), for example-question similarity and the classifier.
std::unordered_map<std::string, double> QuestionFeatures(std::string_view text, const std::string& lang,
                                                         double bigram_weight) {
  std::unordered_map<std::string, double> f;
  std::string previous;
  for (const auto& w : Words(Fold(text))) {
    std::string stem = Stem(lang, w);
    f[stem] += 1.0;
    if (bigram_weight > 0 && !previous.empty()) {
      std::string pair(1, '~');
      pair.append(previous).append(1, ' ').append(stem);
      f[pair] += bigram_weight;
    }
    previous = stem;
    std::string padded = " " + w + " ";
    // Trigrams by code point.
    std::vector<size_t> starts;
    for (size_t i = 0; i < padded.size(); ++i) {
      if ((static_cast<unsigned char>(padded[i]) & 0xC0) != 0x80) starts.push_back(i);
    }
    starts.push_back(padded.size());
    for (size_t i = 0; i + 3 < starts.size(); ++i) {
      std::string gram(1, '#');
      gram.append(padded, starts[i], starts[i + 3] - starts[i]);
      f[gram] += kTrigramWeight;
    }
  }
  return f;
}

// Sentences of an answer or body (split after . ! ? and at line breaks); list markers stay.
std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool end = c == '\n' || ((c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n'));
    if (c != '\n') current += c;
    if (end) {
      if (Words(Fold(current)).size() >= 3) out.push_back(current);
      current.clear();
    }
  }
  if (Words(Fold(current)).size() >= 3) out.push_back(current);
  return out;
}

}  // namespace

std::vector<std::string> Terms(std::string_view text, const std::string& lang) {
  std::vector<std::string> out;
  for (const auto& w : Words(Fold(text))) out.push_back(Stem(lang, w));
  return out;
}

std::shared_ptr<const Index> Index::Build(const KnowledgeBase& kb, const IndexOptions& options) {
  auto index = std::make_shared<Index>();
  index->options_ = options;
  for (const auto& a : kb.articles) index->article_ids_.push_back(a.id);
  // Each locale's index and its share of the language model depend on that locale's text only:
  // build them on every core, then freeze the language model.
  std::atomic<size_t> next_locale{0};
  auto build_locales = [&] {
    for (size_t l = next_locale++; l < core::kLocales.size(); l = next_locale++) {
      index->TrainLanguage(kb, l);
      index->BuildLocale(kb, l);
    }
  };
  std::vector<std::future<void>> workers;
  size_t threads = std::max<size_t>(1, std::thread::hardware_concurrency());
  for (size_t t = 1; t < threads; ++t) workers.push_back(std::async(std::launch::async, build_locales));
  build_locales();
  for (auto& w : workers) w.get();
  index->langid_.Finish();
  return index;
}

void Index::TrainLanguage(const KnowledgeBase& kb, size_t locale_index) {
  const std::string lang(core::kLocales[locale_index]);
  for (const auto& a : kb.articles) {
    const Translation* t = a.Find(lang);
    if (t == nullptr) continue;
    for (const std::string* s : {&t->title, &t->answer, &t->body}) langid_.Train(lang, *s);
    for (const auto& q : t->questions) langid_.Train(lang, q);
    for (const auto& k : t->keywords) langid_.Train(lang, k);
  }
  for (const char* key : {"desks", "organisations"}) {
    const auto& doc = std::string(key) == "desks" ? kb.desks : kb.organisations;
    if (!doc.is_object() || !doc.contains(key) || !doc[key].is_array()) continue;
    for (const auto& e : doc[key]) {
      if (!e.contains("description") || !e["description"].is_object() || !e["description"].contains(lang)) continue;
      const auto& text = e["description"][lang];
      if (text.is_string()) langid_.Train(lang, text.get<std::string>());
    }
  }
}

void Index::BuildLocale(const KnowledgeBase& kb, size_t locale_index) {
  const std::string lang(core::kLocales[locale_index]);
  LocaleIndex& li = locales_[locale_index];
  struct Field {
    float weight;
    std::vector<std::string> terms;
  };
  std::vector<std::vector<Field>> docs(kb.articles.size());
  std::array<double, 5> total_len{};
  std::array<double, 5> field_count{};
  for (size_t d = 0; d < kb.articles.size(); ++d) {
    const Translation* t = kb.articles[d].Find(lang);
    if (t == nullptr) continue;
    std::string questions, keywords;
    for (size_t i = 0; i < t->questions.size(); ++i) {
      bool held_out = options_.holdout_every > 0 &&
                      static_cast<int>(i % static_cast<size_t>(options_.holdout_every)) == options_.holdout_every - 1;
      if (!held_out) questions += t->questions[i] + " . ";
    }
    for (const auto& k : t->keywords) keywords += k + " . ";
    docs[d] = {{kTitleWeight, Terms(t->title, lang)},
               {kKeywordWeight, Terms(keywords, lang)},
               {kQuestionWeight, Terms(questions, lang)},
               {kAnswerWeight, Terms(t->answer, lang)},
               {kBodyWeight, Terms(t->body, lang)}};
    for (size_t f = 0; f < 5; ++f) {
      total_len[f] += static_cast<double>(docs[d][f].terms.size());
      field_count[f] += 1;
    }
  }
  std::unordered_map<std::string, int> df;
  std::unordered_map<std::string, std::unordered_map<uint32_t, float>> tf;
  for (size_t d = 0; d < docs.size(); ++d) {
    if (docs[d].empty()) continue;
    std::unordered_set<std::string> seen;
    for (size_t f = 0; f < 5; ++f) {
      double avg = field_count[f] > 0 ? total_len[f] / field_count[f] : 1;
      double norm = 1 - kB + kB * static_cast<double>(docs[d][f].terms.size()) / std::max(avg, 1.0);
      for (const auto& term : docs[d][f].terms) {
        tf[term][static_cast<uint32_t>(d)] += static_cast<float>(docs[d][f].weight / norm);
        seen.insert(term);
      }
    }
    for (const auto& term : seen) df[term]++;
  }
  double n_docs = 0;
  for (const auto& d : docs) n_docs += d.empty() ? 0 : 1;
  for (const auto& [term, per_doc] : tf) {
    float idf = static_cast<float>(std::log(1 + (n_docs - df[term] + 0.5) / (df[term] + 0.5)));
    li.idf[term] = idf;
    li.max_idf = std::max(li.max_idf, idf);
    auto& list = li.postings[term];
    for (const auto& [doc, w] : per_doc) list.push_back({doc, w});
  }
  li.max_idf = static_cast<float>(std::log(1 + (n_docs + 0.5) / 0.5));

  // Example questions (plus titles, which read like short questions).
  std::vector<std::unordered_map<std::string, double>> qfeatures;
  for (size_t d = 0; d < kb.articles.size(); ++d) {
    const Translation* t = kb.articles[d].Find(lang);
    if (t == nullptr) continue;
    std::vector<std::string> texts;
    for (size_t i = 0; i < t->questions.size(); ++i) {
      bool held_out = options_.holdout_every > 0 &&
                      static_cast<int>(i % static_cast<size_t>(options_.holdout_every)) == options_.holdout_every - 1;
      if (!held_out) texts.push_back(t->questions[i]);
    }
    texts.push_back(t->title);
    for (const auto& k : t->keywords) texts.push_back(k);
    if (options_.body_sentences) {
      for (const std::string* field : {&t->answer, &t->body}) {
        for (auto& sentence : Sentences(*field)) texts.push_back(std::move(sentence));
      }
    }
    for (const auto& text : texts) {
      qfeatures.push_back(QuestionFeatures(text, lang, options_.bigram_weight));
      li.question_doc.push_back(static_cast<uint32_t>(d));
    }
  }
  // Out-of-scope examples form a contrast class with the index one past the last article.
  if (kb.out_of_scope.is_object() && kb.out_of_scope.contains("examples") && kb.out_of_scope["examples"].contains(lang)) {
    for (const auto& e : kb.out_of_scope["examples"][lang]) {
      if (!e.is_string()) continue;
      qfeatures.push_back(QuestionFeatures(e.get<std::string>(), lang, options_.bigram_weight));
      li.question_doc.push_back(static_cast<uint32_t>(kb.articles.size()));
    }
  }
  // Intern the features once: every later step (idf, postings, classifier, queries) works on ids.
  std::vector<std::vector<std::pair<uint32_t, float>>> examples(qfeatures.size());
  std::vector<int> qdf;
  for (size_t q = 0; q < qfeatures.size(); ++q) {
    examples[q].reserve(qfeatures[q].size());
    for (const auto& [feat, w] : qfeatures[q]) {
      auto [it, fresh] = li.feature_ids.emplace(feat, static_cast<uint32_t>(li.feature_ids.size()));
      if (fresh) qdf.push_back(0);
      qdf[it->second]++;
      examples[q].push_back({it->second, static_cast<float>(w)});
    }
  }
  qfeatures.clear();
  double nq = static_cast<double>(examples.size());
  li.qidf.resize(qdf.size());
  for (size_t f = 0; f < qdf.size(); ++f) li.qidf[f] = static_cast<float>(std::log((nq + 1) / (qdf[f] + 0.5)));
  li.max_qidf = static_cast<float>(std::log((nq + 1) / 0.5));
  li.qpostings.resize(qdf.size());
  for (size_t q = 0; q < examples.size(); ++q) {
    double norm = 0;
    for (const auto& [f, w] : examples[q]) norm += std::pow(w * li.qidf[f], 2);
    norm = std::sqrt(std::max(norm, 1e-12));
    for (auto& [f, w] : examples[q]) {
      w = static_cast<float>(w * li.qidf[f] / norm);
      li.qpostings[f].push_back({static_cast<uint32_t>(q), w});
    }
  }
  if (options_.classifier_weight > 0) TrainClassifier(li, examples, kb.articles.size() + 1);
}

void Index::TrainClassifier(LocaleIndex& li, const std::vector<std::vector<std::pair<uint32_t, float>>>& examples,
                            size_t classes) {
  if (examples.empty()) return;
  li.classes = classes;
  li.weights.assign(li.feature_ids.size() * classes, 0.0f);
  li.bias.assign(classes, 0.0f);
  std::vector<size_t> order(examples.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<float> scores(classes);
  std::vector<std::pair<uint32_t, float>> active;
  active.reserve(classes);
  uint64_t seed = 88172645463325252ULL;  // a fixed shuffle: builds are reproducible
  for (int epoch = 0; epoch < options_.classifier_epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) {
      seed ^= seed << 13;
      seed ^= seed >> 7;
      seed ^= seed << 17;
      std::swap(order[i - 1], order[seed % i]);
    }
    float lr = static_cast<float>(options_.classifier_rate / std::pow(1.0 + epoch, options_.classifier_decay));
    for (size_t idx : order) {
      const auto& x = examples[idx];
      size_t label = li.question_doc[idx];
      std::copy(li.bias.begin(), li.bias.end(), scores.begin());
      for (const auto& [f, v] : x) {
        const float* w = &li.weights[f * classes];
        for (size_t c = 0; c < classes; ++c) scores[c] += w[c] * v;
      }
      float mx = *std::max_element(scores.begin(), scores.end()), z = 0;
      for (auto& sc : scores) z += (sc = std::exp(sc - mx));
      // Once trained a little, most classes get a negligible gradient: update only the others.
      active.clear();
      for (size_t c = 0; c < classes; ++c) {
        float g = lr * (scores[c] / z - (c == label ? 1.0f : 0.0f));
        if (std::fabs(g) > 1e-5f) active.push_back({static_cast<uint32_t>(c), g});
      }
      for (const auto& [c, g] : active) li.bias[c] -= 0.1f * g;
      for (const auto& [f, v] : x) {
        float* w = &li.weights[f * classes];
        for (const auto& [c, g] : active) w[c] -= g * v;
      }
    }
  }
}

std::vector<ScoredArticle> Index::Rank(std::string_view text, const std::string& lang, Features* features) const {
  int l = LocaleIndexOf(lang);
  std::vector<ScoredArticle> ranked;
  if (l < 0) return ranked;
  const LocaleIndex& li = locales_[static_cast<size_t>(l)];
  size_t n = article_ids_.size();
  std::vector<double> bm25(n, 0), qsim(n + 1, 0);  // qsim[n]: the out-of-scope class

  // BM25F over stemmed words; repeated query words count once.
  std::vector<std::string> terms = Terms(text, lang);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  double query_weight = 0;
  std::vector<double> explained(n, 0);
  for (const auto& term : terms) {
    auto idf_it = li.idf.find(term);
    double idf = idf_it == li.idf.end() ? li.max_idf : idf_it->second;
    query_weight += idf;
    auto p = li.postings.find(term);
    if (p == li.postings.end()) continue;
    for (const auto& posting : p->second) {
      bm25[posting.doc] += idf * posting.weight * (kK1 + 1) / (posting.weight + kK1);
      explained[posting.doc] += idf;
    }
  }
  // Cosine similarity with the closest example question of each article.
  // The query's known features as (id, tf-idf weight); unknown ones only add to its norm.
  auto qf = QuestionFeatures(text, lang, options_.bigram_weight);
  double qnorm = 0;
  std::vector<std::pair<uint32_t, double>> known;
  for (const auto& [feat, w] : qf) {
    auto id = li.feature_ids.find(feat);
    double weight = w * (id == li.feature_ids.end() ? li.max_qidf : li.qidf[id->second]);
    qnorm += weight * weight;
    if (id != li.feature_ids.end()) known.push_back({id->second, weight});
  }
  qnorm = std::sqrt(std::max(qnorm, 1e-12));
  std::unordered_map<uint32_t, double> dots;
  for (const auto& [f, weight] : known) {
    for (const auto& posting : li.qpostings[f]) dots[posting.question] += weight * posting.weight;
  }
  // An article's similarity: its closest example question, blended with its three closest (an
  // article many examples agree on beats one lucky match).
  std::vector<std::array<double, 3>> closest(n + 1, {0, 0, 0});
  for (const auto& [q, dot] : dots) {
    uint32_t d = li.question_doc[q];
    double sim = dot / qnorm;
    auto& t3 = closest[d];
    if (sim > t3[2]) {
      t3[2] = sim;
      std::sort(t3.begin(), t3.end(), std::greater<double>());
    }
  }
  for (size_t d = 0; d <= n; ++d) {
    qsim[d] = (1 - options_.topk_weight) * closest[d][0] + options_.topk_weight * (closest[d][0] + closest[d][1] + closest[d][2]) / 3;
  }
  std::vector<double> prob(n + 1, 0.0);
  if (options_.classifier_weight > 0 && !li.bias.empty()) {
    std::vector<double> scores(li.bias.begin(), li.bias.end());
    for (const auto& [f, weight] : known) {
      const float* weights = &li.weights[f * li.classes];
      for (size_t c = 0; c < scores.size(); ++c) scores[c] += weights[c] * weight / qnorm;
    }
    double mx = *std::max_element(scores.begin(), scores.end()), z = 0;
    for (auto& sc : scores) z += (sc = std::exp(sc - mx));
    for (size_t c = 0; c < scores.size() && c <= n; ++c) prob[c] = scores[c] / z;
  }
  double max_bm25 = query_weight * (kK1 + 1);
  for (size_t d = 0; d < n; ++d) {
    double word = max_bm25 > 0 ? bm25[d] / max_bm25 : 0;
    double blended = (1 - options_.classifier_weight) *
                         (options_.word_weight * word + (1 - options_.word_weight) * qsim[d]) +
                     options_.classifier_weight * prob[d];
    if (blended > 0) ranked.push_back({article_ids_[d], blended});
  }
  std::sort(ranked.begin(), ranked.end(), [](const ScoredArticle& a, const ScoredArticle& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  if (features != nullptr) {
    *features = Features{};
    if (!ranked.empty()) {
      size_t top = static_cast<size_t>(std::find(article_ids_.begin(), article_ids_.end(), ranked[0].id) - article_ids_.begin());
      features->blended = ranked[0].score;
      features->coverage = query_weight > 0 ? explained[top] / query_weight : 0;
      features->qsim = qsim[top];
      features->margin = ranked.size() > 1 ? (ranked[0].score - ranked[1].score) / ranked[0].score : 1;
      features->prob = prob[top];
    }
    features->oos = qsim[n];
    features->prob_oos = prob[n];
  }
  if (ranked.size() > 5) ranked.resize(5);
  return ranked;
}

double Index::Confidence(const Features& f) const {
  // Logistic regression fitted on bench/data/calibration.jsonl (our own questions, not the public
  // development set): the probability that the top article is right and the question in scope.
  double z = -1.978 + 3.985 * f.blended + 1.498 * f.coverage + 5.351 * f.margin + 3.296 * f.qsim - 11.02 * f.oos -
             5.644 * std::max(0.0, f.oos - f.qsim);
  return 1.0 / (1.0 + std::exp(-z));
}

SearchResult Index::Search(std::string_view text, const SearchRequest& request) const {
  SearchResult result;
  if (!request.lang.empty() && LocaleIndexOf(request.lang) >= 0) {
    result.lang = request.lang;
    result.lang_source = "given";
  } else {
    LanguageGuess guess = langid_.Identify(text, request.hints);
    result.lang = guess.lang;
    result.lang_source = guess.source;
  }
  Features features;
  result.ranked = Rank(text, result.lang, &features);
  result.confidence = result.ranked.empty() ? 0 : Confidence(features);
  for (size_t i = 0; i < result.ranked.size() && result.suggestions.size() < 3; ++i) {
    result.suggestions.push_back(result.ranked[i].id);
  }
  if (!result.ranked.empty() && result.confidence >= options_.threshold) {
    result.article_id = result.ranked[0].id;
  }
  return result;
}

}  // namespace knowledge
