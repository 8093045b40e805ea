// SPDX-License-Identifier: Apache-2.0
#include "map/explain.hpp"

#include <set>

namespace mcc::map {
namespace {

using nlohmann::json;

std::string literal(const json& j) { return j.is_string() && !j.get_ref<const std::string&>().empty() ? j.get<std::string>() : j.dump(); }

std::string conditions(const std::vector<Condition>& when, const std::vector<Condition>& unless) {
  std::string out;
  auto list = [](const Condition& c) {
    std::string s;
    for (std::size_t i = 0; i < c.any_of.size(); ++i) s += (i ? " or " : "") + literal(c.any_of[i]);
    return s;
  };
  for (const auto& c : when) out += (out.empty() ? "" : "; ") + std::string("when ") + c.pointer + " is " + list(c);
  for (const auto& c : unless) out += (out.empty() ? "" : "; ") + std::string("unless ") + c.pointer + " is " + list(c);
  return out;
}

std::string conditions(const Row& r) {
  std::string out;
  if (!r.platforms.empty()) {
    out = "on ";
    for (std::size_t i = 0; i < r.platforms.size(); ++i) out += (i ? " and " : "") + r.platforms[i];
    out += " only";
    if (!r.enum_map) out += " (elsewhere an error" + (r.unmapped_reason.empty() ? "" : ": " + r.unmapped_reason) + ")";
  }
  std::string rest = conditions(r.when, r.unless);
  if (!rest.empty()) out += (out.empty() ? "" : "; ") + rest;
  return out;
}

// One line per declared argument: its name, type, required or default, and the row's value.
std::vector<std::string> argument_lines(const TransformSignature& sig, const Row& r) {
  std::vector<std::string> out;
  for (const auto& a : sig.args) {
    std::string type = arg_type_text(a.type);
    if (!a.one_of.empty()) {
      type = "one of ";
      for (std::size_t i = 0; i < a.one_of.size(); ++i) type += (i ? ", " : "") + a.one_of[i];
    }
    std::string line = a.name + " (" + type + "; " + (a.required ? "required" : "default " + a.fallback.dump()) + ")";
    auto it = r.args.find(a.name);
    if (it == r.args.end()) continue;  // the loader fills in every declared one
    line += " = " + it->dump();
    if (!r.args_given.count(a.name)) line += " (the default)";
    out.push_back(std::move(line));
  }
  return out;
}

std::vector<std::string> member_lines(const Row& r) {
  std::vector<std::string> out;
  if (!r.enum_map) return out;
  for (const auto& [member, value] : r.enum_map->items()) {
    auto it = r.enum_docs.find(member);
    if (it == r.enum_docs.end()) continue;
    std::string line = member + ": " + it->second.note;
    if (!it->second.source.empty()) line += (it->second.note.empty() ? "" : " ") + std::string("(source: ") + it->second.source + ")";
    out.push_back(std::move(line));
  }
  return out;
}

std::string translation(const Row& r) {
  if (r.kind == RowKind::notice) return std::string(r.notice_error ? "error" : "warning") + (r.if_unset ? " when not set: " : ": ") + r.notice;
  if (r.kind == RowKind::constant) return "= " + literal(r.value);
  if (r.kind == RowKind::transform) return "transform " + r.transform;
  if (r.enum_map) {
    std::string out;
    for (const auto& [k, v] : r.enum_map->items()) out += (out.empty() ? "" : ", ") + k + " → " + (v.is_null() ? "(omitted)" : literal(v));
    if (!r.unmapped_reason.empty()) out += "; other values: error (" + r.unmapped_reason + ")";
    return out;
  }
  if (r.as == "integer01") return "true → 1, false → 0";
  if (r.as == "invert01") return "true → 0, false → 1";
  if (r.as == "nonEmpty01") return "1 when not empty";
  if (r.as == "data") return "base64 → data";
  return "";
}

std::string join_key(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "." + b;
}

void walk(const TableSet& tables, const Table& table, const std::string& from_prefix, const std::string& to_prefix,
          std::vector<ExplainLine>& out, int depth) {
  if (depth > 8) return;
  for (const Row& r : tables.expanded_rows(table)) {
    std::string from = r.from ? from_prefix + *r.from : "";
    std::string to = r.profile_scope ? "(profile) " + r.to
                     : r.issuance_scope ? "(lab issuance) " + r.to
                                        : join_key(to_prefix, r.to);
    if (r.kind == RowKind::table || r.kind == RowKind::each) {
      const Table* nested = tables.find(r.nested);
      bool each = r.kind == RowKind::each;
      std::string cond = conditions(r);
      std::size_t first = out.size();
      walk(tables, *nested, from + (each ? "/*" : ""), to + (each ? "[]" : ""), out, depth + 1);
      if (!cond.empty())
        for (std::size_t i = first; i < out.size(); ++i)
          out[i].condition = out[i].condition.empty() ? cond : cond + "; " + out[i].condition;
      continue;
    }
    const bool writes = r.kind != RowKind::none && r.kind != RowKind::notice;
    ExplainLine line{from, writes ? to : "", translation(r), conditions(r), r.none_reason, "", {}, r.kind == RowKind::notice};
    if (r.kind == RowKind::transform) {
      if (const TransformSignature* sig = tables.signature(r.transform)) line.details = argument_lines(*sig, r);
    } else {
      line.details = member_lines(r);
    }
    if (!r.note.empty()) line.reason = line.reason.empty() ? r.note : line.reason + " (" + r.note + ")";
    if (!r.source.empty()) line.reason += (line.reason.empty() ? "source: " : "; source: ") + r.source;
    out.push_back(std::move(line));
  }
}

std::string md_escape(std::string s) {
  for (std::size_t pos = 0; (pos = s.find('|', pos)) != std::string::npos; pos += 2) s.replace(pos, 1, "\\|");
  return s;
}

struct Coverage {
  const TableSet& tables;
  const schema::GraphSchema& graph;
  std::vector<std::string>& gaps;

  // `rows` are (relative from, row) pairs that apply to an object of `type`.
  void check(const std::string& label, const std::string& type, const std::vector<std::pair<std::string, const Row*>>& rows,
             int depth) {
    if (depth > 8) return;
    std::set<std::string> known;
    for (const auto* p : graph.all_properties(type)) {
      known.insert(p->name);
      std::string whole = "/" + p->name;
      const Row* exact = nullptr;
      std::vector<std::pair<std::string, const Row*>> deeper;
      for (const auto& [from, row] : rows) {
        if (from == whole && (exact == nullptr || exact->kind == RowKind::none || exact->kind == RowKind::notice || exact->kind == RowKind::constant)) exact = row;
        else if (from.rfind(whole + "/", 0) == 0) deeper.emplace_back(from.substr(whole.size()), row);
      }
      const schema::GraphType* ptype = graph.find(p->type);
      bool complex = ptype && ptype->kind == "complex";
      if (exact && (exact->kind == RowKind::table || exact->kind == RowKind::each) && complex) {
        std::vector<std::pair<std::string, const Row*>> sub;
        for (const Row& r : tables.expanded_rows(*tables.find(exact->nested)))
          if (r.from) sub.emplace_back(*r.from, &r);
        sub.insert(sub.end(), deeper.begin(), deeper.end());
        check(label + whole, p->type, sub, depth + 1);
      } else if (exact) {
        continue;
      } else if (!deeper.empty() && complex) {
        check(label + whole, p->type, deeper, depth + 1);
      } else {
        gaps.push_back(label + ": " + whole + " is not in the table");
      }
    }
    for (const auto& [from, row] : rows) {
      if (from.empty()) continue;
      std::string first = from.substr(1, from.find('/', 1) == std::string::npos ? std::string::npos : from.find('/', 1) - 1);
      if (!known.count(first) && first.find('@') == std::string::npos && first.front() != '#')
        gaps.push_back(label + ": row " + row->table_name + "#" + std::to_string(row->index) + " reads " + from +
                       ", which is not a property of " + type);
    }
  }
};

}  // namespace

std::vector<ExplainLine> explain_lines(const TableSet& tables, const Table& table) {
  std::vector<ExplainLine> out;
  for (const Variant* v : tables.variants(table)) {
    std::string reason = v->note;
    if (!v->source.empty()) reason += (reason.empty() ? "" : " ") + std::string("(source: ") + v->source + ")";
    out.push_back({"", "PayloadType", "= " + v->payload_type, conditions(v->when, v->unless), reason, "(payload variant)", {}});
  }
  walk(tables, table, "", "", out, 0);
  return out;
}

std::string render_explain(const Table& table, const std::vector<ExplainLine>& lines, bool markdown, const Table* lab_of) {
  std::string out;
  // A lab variant is shown under its type's name and platform.
  const Table& type = lab_of ? *lab_of : table;
  const std::string name = *type.graph_type + (lab_of ? " under lab issuance" : "");
  std::string head = name + " → " + table.payload_type.value_or("?") + (type.platform ? " (" + *type.platform + ")" : "");
  if (markdown) {
    out += "### " + name + "\n\n`" + table.payload_type.value_or("") + "`" +
           (type.platform ? ", default platform " + *type.platform : "") + "\n\n";
    out += "| Graph property | Apple key | translation | condition / reason |\n|---|---|---|---|\n";
    for (const auto& l : lines) {
      std::string from = !l.from.empty() ? "`" + l.from + "`" : l.label.empty() ? "—" : "*" + l.label + "*";
      std::string to = l.notice ? "*(diagnostic only)*" : l.to.empty() ? "*(no profile key)*" : "`" + l.to + "`";
      std::string tail = l.condition;
      if (!l.reason.empty()) tail += (tail.empty() ? "" : "; ") + l.reason;
      std::string translation = md_escape(l.translation);
      for (const auto& d : l.details) translation += (translation.empty() ? "" : "<br>") + md_escape(d);
      out += "| " + md_escape(from) + " | " + md_escape(to) + " | " + translation + " | " + md_escape(tail) + " |\n";
    }
    return out;
  }
  out += head + "\n";
  for (const auto& l : lines) {
    out += "  " + (!l.from.empty() ? l.from : l.label.empty() ? std::string("(always)") : l.label);
    if (l.notice) {
      out += ": " + l.translation;
      if (!l.reason.empty()) out += "  (" + l.reason + ")";
    } else if (l.to.empty()) {
      out += ": no profile key — " + l.reason;
    } else {
      out += " → " + l.to;
      if (!l.translation.empty()) out += "  [" + l.translation + "]";
      if (!l.reason.empty()) out += "  (" + l.reason + ")";
    }
    if (!l.condition.empty()) out += "  {" + l.condition + "}";
    out += "\n";
    for (const auto& d : l.details) out += "      " + d + "\n";
  }
  return out;
}

namespace {

// The rows that read the object of `table`: a table row whose `from` is "" applies its
// nested table to the same object, so that table's rows count as this object's rows.
void add_rows(const TableSet& tables, const Table& table, std::vector<std::pair<std::string, const Row*>>& rows, int depth) {
  if (depth > 8) return;
  for (const Row& r : tables.expanded_rows(table)) {
    if (r.from && r.from->empty() && r.kind == RowKind::table) add_rows(tables, *tables.find(r.nested), rows, depth + 1);
    else if (r.from) rows.emplace_back(*r.from, &r);
  }
}

}  // namespace

std::vector<std::string> coverage_gaps(const TableSet& tables, const schema::GraphSchema& graph) {
  std::vector<std::string> gaps;
  Coverage cov{tables, graph, gaps};
  for (const auto& [name, t] : tables.all()) {
    if (!t.payload_type || !t.graph_type) continue;
    std::vector<std::pair<std::string, const Row*>> rows;
    add_rows(tables, t, rows, 0);
    if (graph.find(*t.graph_type) == nullptr) {
      gaps.push_back(*t.graph_type + ": no Graph type definition");
      continue;
    }
    cov.check(*t.graph_type, *t.graph_type, rows, 0);
    // The lab variant reads the same objects: it accounts for every property too.
    if (const Table* lab = tables.lab_variant(t)) {
      std::vector<std::pair<std::string, const Row*>> lab_rows;
      add_rows(tables, *lab, lab_rows, 0);
      cov.check(*t.graph_type + " (lab variant " + lab->name + ")", *t.graph_type, lab_rows, 0);
    }
  }
  return gaps;
}

}  // namespace mcc::map
