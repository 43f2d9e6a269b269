#include "knowledge/index.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <cmath>
#include <set>
#include <unordered_set>

#include <malloc.h>

#include "core/locales.hpp"
#include "core/parallel.hpp"
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

// A text's folded words and their stems, computed once and shared by BM25 and the example features.
struct Tokens {
  std::vector<std::string> words, stems;
};

// `folded` is Fold(text).
Tokens TokenizeFolded(std::string_view folded, const std::string& lang) {
  Tokens t;
  t.words = Words(folded);
  t.stems.reserve(t.words.size());
  for (const auto& w : t.words) t.stems.push_back(Stem(lang, w));
  return t;
}

Tokens Tokenize(std::string_view text, const std::string& lang) { return TokenizeFolded(Fold(text), lang); }

// Stems plus character trigrams of each word (marked with '#'), and optionally pairs of adjacent
// stems (marked with '~'), for example-question similarity and the classifier: emit(feature, weight)
// once per occurrence (a feature may come more than once). The feature string is a reused buffer.
template <class Emit>
void ForEachFeature(const Tokens& tokens, double bigram_weight, Emit&& emit) {
  thread_local std::string padded, gram;
  thread_local std::vector<size_t> starts;
  for (size_t k = 0; k < tokens.words.size(); ++k) {
    const std::string& stem = tokens.stems[k];
    emit(stem, 1.0);
    if (bigram_weight > 0 && k > 0) {
      gram.assign(1, '~').append(tokens.stems[k - 1]).append(1, ' ').append(stem);
      emit(gram, bigram_weight);
    }
    padded.assign(1, ' ').append(tokens.words[k]).append(1, ' ');
    // Trigrams by code point.
    starts.clear();
    for (size_t i = 0; i < padded.size(); ++i) {
      if ((static_cast<unsigned char>(padded[i]) & 0xC0) != 0x80) starts.push_back(i);
    }
    starts.push_back(padded.size());
    for (size_t i = 0; i + 3 < starts.size(); ++i) {
      gram.assign(1, '#').append(padded, starts[i], starts[i + 3] - starts[i]);
      emit(gram, kTrigramWeight);
    }
  }
}

// Sums the weights of repeated feature ids.
void MergeRepeats(std::vector<std::pair<uint32_t, float>>& features) {
  std::sort(features.begin(), features.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t out = 0;
  for (size_t i = 0; i < features.size(); ++i) {
    if (out > 0 && features[out - 1].first == features[i].first) {
      features[out - 1].second += features[i].second;
    } else {
      features[out++] = features[i];
    }
  }
  features.resize(out);
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
      if (std::count(current.begin(), current.end(), ' ') >= 2) out.push_back(current);
      current.clear();
    }
  }
  if (std::count(current.begin(), current.end(), ' ') >= 2) out.push_back(current);
  return out;
}

}  // namespace

std::shared_ptr<const Index> Index::Build(const KnowledgeBase& kb, const IndexOptions& options) {
  auto index = std::make_shared<Index>();
  index->options_ = options;
  for (const auto& a : kb.articles) index->article_ids_.push_back(a.id);
  // Each locale's index and its share of the language model depend on that locale's text only:
  // build them on every core, then freeze the language model.
  core::ParallelFor(core::kLocales.size(), [&](size_t l) { index->BuildLocale(kb, l); });
  index->langid_.Finish();
  // Building allocates several times the finished index in temporaries (training weights, term
  // counts, per-thread arenas): give those pages back rather than keep them for the next rebuild.
  malloc_trim(0);
  return index;
}

// Desk and organisation descriptions are language-model text only (articles are learnt in BuildLocale).
void Index::TrainLanguage(const KnowledgeBase& kb, size_t locale_index) {
  const std::string lang(core::kLocales[locale_index]);
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
  // Example questions (plus the title and keywords, which read like short questions), tokenised
  // once for both BM25's fields and the example features.
  // Features are interned to ids as they are found: every later step (idf, postings, classifier,
  // queries) works on ids.
  std::vector<std::vector<std::pair<uint32_t, float>>> examples;
  std::vector<int> qdf;  // feature id → examples that have it
  auto add_example = [&](const Tokens& tokens, size_t doc) {
    auto& x = examples.emplace_back();
    ForEachFeature(tokens, options_.bigram_weight, [&](const std::string& feature, double weight) {
      auto it = li.feature_ids.find(feature);
      if (it == li.feature_ids.end()) {
        it = li.feature_ids.emplace(feature, static_cast<uint32_t>(li.feature_ids.size())).first;
        qdf.push_back(0);
      }
      x.push_back({it->second, static_cast<float>(weight)});
    });
    MergeRepeats(x);
    for (const auto& [f, w] : x) qdf[f]++;
    li.question_doc.push_back(static_cast<uint32_t>(doc));
  };
  // Every text of the locale is folded once, for the language model and for the index.
  auto learn = [&](const std::string& text) {
    std::string folded = Fold(text);
    langid_.Train(lang, text, folded);
    return TokenizeFolded(folded, lang);
  };
  TrainLanguage(kb, locale_index);
  for (size_t d = 0; d < kb.articles.size(); ++d) {
    const Translation* t = kb.articles[d].Find(lang);
    if (t == nullptr) continue;
    std::vector<std::string> questions, keywords;
    for (size_t i = 0; i < t->questions.size(); ++i) {
      Tokens tokens = learn(t->questions[i]);
      bool held_out = options_.holdout_every > 0 &&
                      static_cast<int>(i % static_cast<size_t>(options_.holdout_every)) == options_.holdout_every - 1;
      if (held_out) continue;
      add_example(tokens, d);
      questions.insert(questions.end(), tokens.stems.begin(), tokens.stems.end());
    }
    Tokens title = learn(t->title);
    add_example(title, d);
    for (const auto& k : t->keywords) {
      Tokens tokens = learn(k);
      add_example(tokens, d);
      keywords.insert(keywords.end(), tokens.stems.begin(), tokens.stems.end());
    }
    if (options_.body_sentences) {
      for (const std::string* field : {&t->answer, &t->body}) {
        for (const auto& sentence : Sentences(*field)) add_example(Tokenize(sentence, lang), d);
      }
    }
    docs[d] = {{kTitleWeight, std::move(title.stems)},
               {kKeywordWeight, std::move(keywords)},
               {kQuestionWeight, std::move(questions)},
               {kAnswerWeight, learn(t->answer).stems},
               {kBodyWeight, learn(t->body).stems}};
    for (size_t f = 0; f < 5; ++f) {
      total_len[f] += static_cast<double>(docs[d][f].terms.size());
      field_count[f] += 1;
    }
  }
  // Out-of-scope examples form a contrast class with the index one past the last article.
  if (kb.out_of_scope.is_object() && kb.out_of_scope.contains("examples") && kb.out_of_scope["examples"].contains(lang)) {
    for (const auto& e : kb.out_of_scope["examples"][lang]) {
      if (e.is_string()) add_example(Tokenize(e.get<std::string>(), lang), kb.articles.size());
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
  std::vector<float> weights(li.feature_ids.size() * classes, 0.0f);
  li.bias.assign(classes, 0.0f);
  std::vector<size_t> order(examples.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<float> scores(classes);
  std::vector<std::pair<uint32_t, float>> active;
  active.reserve(classes);
  constexpr float kEasy = 0.98f;
  std::vector<char> easy(examples.size(), 0);
  std::vector<float> weight_sum, bias_sum;
  int snapshots = 0;
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
      // An example the model already gets right with near certainty would change nothing: skip it,
      // re-checking every third epoch (most examples are easy after two epochs).
      if (easy[idx] && epoch % 3 != 0) continue;
      const auto& x = examples[idx];
      size_t label = li.question_doc[idx];
      std::copy(li.bias.begin(), li.bias.end(), scores.begin());
      for (const auto& [f, v] : x) {
        const float* w = &weights[f * classes];
        for (size_t c = 0; c < classes; ++c) scores[c] += w[c] * v;
      }
      float mx = *std::max_element(scores.begin(), scores.end()), z = 0;
      for (auto& sc : scores) z += (sc = std::exp(sc - mx));
      easy[idx] = scores[label] / z > kEasy;
      // Once trained a little, most classes get a negligible gradient: update only the others.
      active.clear();
      for (size_t c = 0; c < classes; ++c) {
        float g = lr * (scores[c] / z - (c == label ? 1.0f : 0.0f));
        if (std::fabs(g) > 1e-5f) active.push_back({static_cast<uint32_t>(c), g});
      }
      for (const auto& [c, g] : active) li.bias[c] -= 0.1f * g;
      for (const auto& [f, v] : x) {
        float* w = &weights[f * classes];
        for (const auto& [c, g] : active) w[c] -= g * v;
      }
    }
    // The final model is the mean of the weights at the end of every epoch but the first: SGD's
    // last steps depend on the shuffle, and averaging removes much of that noise (answered right
    // varied ±0.3 points between shuffles on the calibration set; averaged it is higher for each).
    if (epoch >= 1) {
      if (weight_sum.empty()) {
        weight_sum.assign(weights.size(), 0.0f);
        bias_sum.assign(classes, 0.0f);
      }
      for (size_t i = 0; i < weights.size(); ++i) weight_sum[i] += weights[i];
      for (size_t c = 0; c < classes; ++c) bias_sum[c] += li.bias[c];
      ++snapshots;
    }
  }
  if (snapshots > 0) {
    for (size_t i = 0; i < weights.size(); ++i) weights[i] = weight_sum[i] / static_cast<float>(snapshots);
    for (size_t c = 0; c < classes; ++c) li.bias[c] = bias_sum[c] / static_cast<float>(snapshots);
  }
  li.weights.resize(weights.size());
  li.weight_scale.resize(li.feature_ids.size());
  for (size_t f = 0; f < li.feature_ids.size(); ++f) {
    const float* w = &weights[f * classes];
    float max_abs = 0;
    for (size_t c = 0; c < classes; ++c) max_abs = std::max(max_abs, std::fabs(w[c]));
    float scale = max_abs > 0 ? max_abs / 127.0f : 1.0f;
    li.weight_scale[f] = scale;
    for (size_t c = 0; c < classes; ++c) li.weights[f * classes + c] = static_cast<int8_t>(std::lround(w[c] / scale));
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
  // The query is folded and tokenised once, for BM25 and for the example features.
  const Tokens query = Tokenize(text, lang);
  std::vector<std::string> terms = query.stems;
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
  std::vector<std::pair<uint32_t, float>> known_tf;
  std::unordered_map<std::string, double> unknown_tf;
  ForEachFeature(query, options_.bigram_weight, [&](const std::string& feature, double weight) {
    auto id = li.feature_ids.find(feature);
    if (id == li.feature_ids.end()) {
      unknown_tf[feature] += weight;
    } else {
      known_tf.push_back({id->second, static_cast<float>(weight)});
    }
  });
  MergeRepeats(known_tf);
  double qnorm = 0;
  for (const auto& [feature, tf] : unknown_tf) qnorm += std::pow(tf * li.max_qidf, 2);
  std::vector<std::pair<uint32_t, double>> known;
  for (const auto& [id, tf] : known_tf) {
    double weight = tf * li.qidf[id];
    qnorm += weight * weight;
    known.push_back({id, weight});
  }
  qnorm = std::sqrt(std::max(qnorm, 1e-12));
  // Dense accumulators (a few thousand examples per locale) are much cheaper than a hash map.
  thread_local std::vector<float> dots;
  dots.assign(li.question_doc.size(), 0.0f);
  for (const auto& [f, weight] : known) {
    for (const auto& posting : li.qpostings[f]) dots[posting.question] += static_cast<float>(weight) * posting.weight;
  }
  // An article's similarity: its closest example question, blended with its three closest (an
  // article many examples agree on beats one lucky match).
  std::vector<std::array<double, 3>> closest(n + 1, {0, 0, 0});
  for (size_t q = 0; q < dots.size(); ++q) {
    if (dots[q] <= 0) continue;
    uint32_t d = li.question_doc[q];
    double sim = dots[q] / qnorm;
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
      const int8_t* weights = &li.weights[f * li.classes];
      double v = li.weight_scale[f] * weight / qnorm;
      for (size_t c = 0; c < scores.size(); ++c) scores[c] += weights[c] * v;
    }
    double mx = *std::max_element(scores.begin(), scores.end()), z = 0;
    for (auto& sc : scores) z += (sc = std::exp(sc - mx));
    for (size_t c = 0; c < scores.size() && c <= n; ++c) prob[c] = scores[c] / z;
  }
  double max_bm25 = query_weight * (kK1 + 1);
  // Rank article indices; only the best five become (id, score) pairs.
  std::vector<std::pair<double, uint32_t>> order;
  for (size_t d = 0; d < n; ++d) {
    double word = max_bm25 > 0 ? bm25[d] / max_bm25 : 0;
    double blended = (1 - options_.classifier_weight) *
                         (options_.word_weight * word + (1 - options_.word_weight) * qsim[d]) +
                     options_.classifier_weight * prob[d];
    if (blended > 0) order.push_back({blended, static_cast<uint32_t>(d)});
  }
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : article_ids_[a.second] < article_ids_[b.second];
  });
  if (features != nullptr) {
    *features = Features{};
    if (!order.empty()) {
      size_t top = order[0].second;
      features->blended = order[0].first;
      features->coverage = query_weight > 0 ? explained[top] / query_weight : 0;
      features->qsim = qsim[top];
      features->margin = order.size() > 1 ? (order[0].first - order[1].first) / order[0].first : 1;
      features->prob = prob[top];
    }
    features->oos = qsim[n];
    features->prob_oos = prob[n];
    features->words = static_cast<double>(query.words.size());
  }
  for (size_t i = 0; i < order.size() && i < 5; ++i) ranked.push_back({article_ids_[order[i].second], order[i].first});
  return ranked;
}

const std::array<const char*, kConfidenceInputs> kConfidenceInputNames = {
    "blended", "coverage", "margin", "qsim", "oos", "oos_over_qsim", "prob", "prob_oos", "log_words"};

std::array<double, kConfidenceInputs> ConfidenceInputs(const ConfidenceFeatures& f) {
  return {f.blended, f.coverage, f.margin, f.qsim, f.oos, std::max(0.0, f.oos - f.qsim), f.prob, f.prob_oos,
          std::log1p(f.words)};
}

double Index::Confidence(const Features& f, const ConfidenceModel& m) {
  auto x = ConfidenceInputs(f);
  double z = m.bias;
  for (size_t k = 0; k < kConfidenceInputs; ++k) z += m.weights[k] * x[k];
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
