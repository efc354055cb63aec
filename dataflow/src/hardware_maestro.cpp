// baton::dataflow — MAESTRO hardware-file reader (MAESTRO-SEMANTICS.md §1.4, DESIGN.md §3).
//
// Lexing as MAESTRO's DFSL_hw-parser: each line is split on space, tab, `,` `-` `>` `(` `)` `:`
// `;` (and '\r'), so `-3` reads as 3 in MAESTRO: baton rejects a value right after a '-'. `//`
// starts a comment to the end of the line (MAESTRO needs it at a token start; taking it anywhere
// only also accepts `256//x`, which MAESTRO's atoi reads as 256 too). The tokens form `key value`
// pairs, possibly across lines. Keys (case-sensitive): num_pes, l1_size_cstr, l2_size_cstr,
// noc_bw_cstr, offchip_bw_cstr, NoC_NumHops. Values are decimal integers, > 0 except NoC_NumHops >=
// 0 (a zero latency, as baton's YAML allows). Stricter than MAESTRO, which atoi()s anything and
// falls back silently: unknown keys, bad or missing values, duplicates and a missing num_pes are
// located errors, all collected into one InputError.
//
// Mapping (DESIGN.md §3): word_bytes 1 (MAESTRO counts elements, so sizes in elements = bytes),
// 1 SIMD lane, bus NoC with multicast and reduction, NoC bandwidth noc_bw_cstr, hop latency
// NoC_NumHops (1 if absent), off-chip bandwidth offchip_bw_cstr, DRAM latency 0, L2 ports not
// limiting, absent sizes/bandwidths unlimited, default energy table; name = the file's stem.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include "baton/dataflow/hardware.h"

namespace baton {
namespace {

struct Token {
  std::string text;
  int line;      // 1-based
  int column;    // 1-based, in bytes; at the '-' when negated
  bool negated;  // written right after a '-' (a separator for MAESTRO: `-3` reads as 3)
};

const std::vector<std::string> kKeys = {"num_pes",     "l1_size_cstr",    "l2_size_cstr",
                                        "noc_bw_cstr", "offchip_bw_cstr", "NoC_NumHops"};

bool is_key(const std::string& s) {
  return std::find(kKeys.begin(), kKeys.end(), s) != kKeys.end();
}

std::string key_list() {
  std::string out;
  for (const auto& k : kKeys) out += (out.empty() ? "" : ", ") + k;
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The fix for an unknown key: a case or prefix near miss, a native YAML key, or the file's shape.
std::string unknown_key_hint(const std::string& word) {
  static const char* const kNativeKeys[] = {"name",    "pes",   "simd_lanes", "word_bytes",
                                            "l1",      "l2",    "l2_ports",   "noc",
                                            "offchip", "energy"};
  const std::string w = lower(word);
  for (const auto& k : kKeys) {
    if (lower(k) == w) return "keys are case-sensitive: write `" + k + "`";
  }
  for (const auto& k : kKeys) {
    const std::string lk = lower(k);
    if (w.size() >= 3 && (lk.rfind(w, 0) == 0 || w.rfind(lk, 0) == 0)) {
      return "did you mean `" + k + "`?";
    }
  }
  for (const char* k : kNativeKeys) {
    if (word == k) return "`" + word + "` is a native baton key; name the file .yaml";
  }
  return "a MAESTRO hardware file holds only `key: integer` pairs";
}

std::vector<Token> lex(const std::string& text) {
  static const std::string kSeparators = " \t\r,->():;";
  std::vector<Token> tokens;
  size_t start = 0;
  for (int line = 1; start <= text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string l = text.substr(start, end - start);
    l = l.substr(0, l.find("//"));
    for (size_t i = l.find_first_not_of(kSeparators); i != std::string::npos;) {
      const size_t j = std::min(l.find_first_of(kSeparators, i), l.size());
      const bool negated = i > 0 && l[i - 1] == '-';
      tokens.push_back(
          Token{l.substr(i, j - i), line, static_cast<int>(i) + (negated ? 0 : 1), negated});
      i = l.find_first_not_of(kSeparators, j);
    }
    start = end + 1;
  }
  return tokens;
}

// A decimal integer made of digits only (MAESTRO cannot write signs: '-' is a separator).
bool to_int(const std::string& s, int64_t* out) {
  const auto res = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && s[0] != '-' && res.ec == std::errc() && res.ptr == s.data() + s.size();
}

}  // namespace

HardwareSpec parse_hardware_maestro(const std::string& text, const std::string& path) {
  std::vector<Diagnostic> diags;
  const auto error = [&](const Token& t, std::string msg, std::string hint = {}) {
    diags.push_back(make_error(SourceLoc{path, t.line, t.column}, std::move(msg), std::move(hint)));
  };
  std::map<std::string, int64_t> values;
  std::map<std::string, int> first_line;  // line of each key's first valid value
  std::set<std::string> named;            // keys present, valid value or not
  const std::vector<Token> tokens = lex(text);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    int64_t n = 0;
    if (!is_key(t.text)) {
      const bool number = to_int(t.text, &n);
      error(t,
            (number ? "unexpected value '" + t.text + "' where a key belongs"
                    : "unknown key '" + t.text + "'") +
                "; valid keys: " + key_list(),
            unknown_key_hint(t.text));
      if (!number && i + 1 < tokens.size() && to_int(tokens[i + 1].text, &n)) ++i;  // its value
      continue;
    }
    named.insert(t.text);
    if (i + 1 == tokens.size() || is_key(tokens[i + 1].text)) {
      error(t, "key '" + t.text + "' has no value", "write `" + t.text + ": N`");
      continue;
    }
    const Token& v = tokens[++i];
    const int64_t min = t.text == "NoC_NumHops" ? 0 : 1;
    if (!to_int(v.text, &n) || n < min || v.negated) {
      error(v,
            "'" + t.text + "' needs a " + (min > 0 ? "positive" : "non-negative") +
                " integer, got '" + (v.negated ? "-" : "") + v.text + "'",
            "MAESTRO counts elements and cycles as plain integers, e.g. `" + t.text + ": 64`");
    } else if (!first_line.emplace(t.text, t.line).second) {
      error(t,
            "duplicate key '" + t.text + "' (first given at line " +
                std::to_string(first_line[t.text]) + ")",
            "keep one of them");
    } else {
      values[t.text] = n;
    }
  }
  if (named.count("num_pes") == 0) {
    diags.push_back(make_error(SourceLoc{path, 0, 0}, "missing key 'num_pes'",
                               "MAESTRO silently uses 1 PE; add `num_pes: N`"));
  }
  if (!diags.empty()) throw InputError(std::move(diags));

  const auto get = [&](const char* key) -> std::optional<int64_t> {
    const auto it = values.find(key);
    return it == values.end() ? std::nullopt : std::optional<int64_t>(it->second);
  };
  HardwareSpec hw;
  const std::string stem = std::filesystem::path(path).stem().string();
  hw.name = stem.empty() ? hw.name : stem;
  hw.source_file = path;
  hw.format = "maestro";
  BATON_ASSERT(get("num_pes").has_value(), "num_pes checked above");
  hw.pes = *get("num_pes");
  hw.simd_lanes = 1;
  hw.word_bytes = 1;
  hw.l1_bytes = get("l1_size_cstr");
  hw.l2_bytes = get("l2_size_cstr");
  hw.l2_read_elems_per_cycle = std::nullopt;
  hw.l2_write_elems_per_cycle = std::nullopt;
  hw.noc.topology = "bus";
  hw.noc.bandwidth_elems_per_cycle = get("noc_bw_cstr");
  hw.noc.hop_latency_cycles = get("NoC_NumHops").value_or(1);
  hw.noc.multicast = true;
  hw.noc.reduction = true;
  hw.offchip_bw_elems_per_cycle = get("offchip_bw_cstr");
  hw.dram_latency_cycles = 0;
  hw.energy = EnergyTable{};
  return hw;
}

}  // namespace baton
