#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "knowledge/kb.hpp"
#include "knowledge/language_id.hpp"

namespace knowledge {

struct SearchRequest {
  std::string lang;        // a language the person chose; empty = identify it
  LanguageHints hints;
};

struct ScoredArticle {
  std::string id;
  double score = 0;
};

// What retrieval found. `article_id` is empty exactly when Loket should not answer (confidence
// below the threshold); `suggestions` then holds the closest topics.
struct SearchResult {
  std::string lang;
  std::string lang_source;      // given | detected | hint | previous | default
  std::string article_id;
  double confidence = 0;        // 0..1
  std::vector<std::string> suggestions;
  std::vector<ScoredArticle> ranked;  // best first, at most 5
};

// Confidence features for one query in one locale (see Index::Rank).
struct ConfidenceFeatures {
  double blended = 0, coverage = 0, margin = 0, qsim = 0;
  double oos = 0;       // similarity to the closest out-of-scope example (content/out-of-scope.json)
  double prob = 0;      // the classifier's probability of the top article
  double prob_oos = 0;  // the classifier's probability of the out-of-scope class
  double words = 0;     // words in the query: short and long queries deserve different trust
};

// The inputs of the confidence model, in the order of ConfidenceModel::weights.
constexpr size_t kConfidenceInputs = 9;
extern const std::array<const char*, kConfidenceInputs> kConfidenceInputNames;
std::array<double, kConfidenceInputs> ConfidenceInputs(const ConfidenceFeatures& f);

// The answer confidence: a logistic regression over ConfidenceInputs, fitted on our own calibration
// questions (retrieval_bench --fit on bench/data/calibration.jsonl), never on the public set.
struct ConfidenceModel {
  double bias = -4.846;
  std::array<double, kConfidenceInputs> weights = {1.443, 2.186, 6.679, -0.292, -6.536, -8.655, 1.153, -9.271, 1.215};
};

// Tunable parts of retrieval; defaults are what Loket ships with.
struct IndexOptions {
  ConfidenceModel confidence;
  // Answer when confidence >= threshold: the most right answers on the calibration set while
  // refusing at least 92 % of its out-of-scope questions (retrieval_bench --fit 0.92).
  double threshold = 0.40;
  // Example questions whose position in an article's list satisfies (i % holdout_every ==
  // holdout_every - 1) are left out of the index (for calibration); 0 = use all.
  int holdout_every = 0;
  double topk_weight = 0.5;     // share of the mean of the 3 closest examples in the example similarity
  double word_weight = 0.6;     // share of BM25F in the blended score (the rest: example similarity)
  double classifier_weight = 0.5;  // share of the trained classifier's probability in the blended score
  int classifier_epochs = 3;
  double classifier_rate = 1.5;   // SGD learning rate of the first epoch ...
  double classifier_decay = 1.0;  // ... divided by (1 + epoch)^decay
  bool body_sentences = false;  // also learn from each sentence of the answer and body
  double bigram_weight = 0;     // weight of adjacent-word pairs in the example features (0 = none)
};

// The in-memory retrieval index over one knowledge base, for all locales. Built once (a new one is
// built and swapped in when content is published); immutable and thread-safe after Build().
//
// Per locale it scores each article three ways: BM25F over stemmed words of the title, keywords,
// example questions, answer and body; the cosine similarity between the query and the article's
// closest example questions (stemmed words plus character trigrams, which tolerate typos); and a
// softmax classifier trained at build time on the same example features (with the out-of-scope
// examples as their own class).
// Confidence combines the blended score, how much of the query's weight the best article explains
// (out-of-scope questions leave most words unexplained) and the margin to the runner-up.
class Index {
 public:
  static std::shared_ptr<const Index> Build(const KnowledgeBase& kb, const IndexOptions& options = {});

  SearchResult Search(std::string_view text, const SearchRequest& request = {}) const;

  // Confidence features for one query in one locale; exposed for benchmarks and calibration.
  using Features = ConfidenceFeatures;
  std::vector<ScoredArticle> Rank(std::string_view text, const std::string& lang, Features* features) const;
  double Confidence(const Features& f) const { return Confidence(f, options_.confidence); }
  static double Confidence(const Features& f, const ConfidenceModel& m);

  const LanguageIdentifier& language_identifier() const { return langid_; }
  size_t article_count() const { return article_ids_.size(); }
  const IndexOptions& options() const { return options_; }

 private:
  struct Posting {
    uint32_t doc;     // article index
    float weight;     // field-weighted, length-normalised term frequency
  };
  struct QuestionPosting {
    uint32_t question;
    float weight;     // tf-idf weight, vector normalised
  };
  struct LocaleIndex {
    std::unordered_map<std::string, std::vector<Posting>> postings;     // stem → docs
    std::unordered_map<std::string, float> idf;
    // Example-question features (words, trigrams, word pairs), interned: feature → id.
    std::unordered_map<std::string, uint32_t> feature_ids;
    std::vector<std::vector<QuestionPosting>> qpostings;  // feature id → questions
    std::vector<float> qidf;                              // feature id → idf
    std::vector<uint32_t> question_doc;  // question → article index
    float max_idf = 0;
    float max_qidf = 0;
    // A softmax classifier over the example questions' features (articles + the out-of-scope
    // class), trained at build time.
    // Stored as 8-bit integers with one scale per feature: a quarter of the memory of floats, and
    // no measurable change in ranking.
    std::vector<int8_t> weights;  // feature id * classes + class
    std::vector<float> weight_scale;  // feature id → scale
    std::vector<float> bias;
    size_t classes = 0;
  };
  void TrainClassifier(LocaleIndex& li, const std::vector<std::vector<std::pair<uint32_t, float>>>& examples,
                       size_t classes);
  void BuildLocale(const KnowledgeBase& kb, size_t locale_index);
  void TrainLanguage(const KnowledgeBase& kb, size_t locale_index);  // desk and organisation texts

  IndexOptions options_;
  std::vector<std::string> article_ids_;
  std::array<LocaleIndex, 16> locales_;
  LanguageIdentifier langid_;
};

}  // namespace knowledge
