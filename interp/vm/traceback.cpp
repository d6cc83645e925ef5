// traceback.cpp: traceback entries and CPython's uncaught-exception report.
// Entries hold references to their code objects; source lines come from front/source.h's
// registry.
#include "interp/vm/traceback.h"

#include <new>
#include <sstream>

#include <fmt/format.h>

#include "interp/objects/class.h"

namespace ftpy::interp {

namespace {

std::string str_or_fallback(Value v) {
  Value s = str(v);
  if (!s) {
    clear_error();
    return "<exception str() failed>";
  }
  std::string out(as_str(s)->view());
  decref(s);
  return out;
}

std::string type_display_name(TypeObject* t) {
  std::string name(t->name->view());
  if (t->tp_flags & k_tp_heaptype) {
    Value qn = getattr(Value::from(&t->header), intern("__qualname__"));
    if (qn && isinstance_of(qn, &g_str_type)) name = std::string(as_str(qn)->view());
    xdecref(qn);
    Value mod = getattr(Value::from(&t->header), intern("__module__"));
    if (mod && isinstance_of(mod, &g_str_type)) {
      std::string_view m = as_str(mod)->view();
      if (m != "__main__" && m != "builtins") name = std::string(m) + "." + name;
    }
    xdecref(mod);
    clear_error();
  }
  return name;
}

}  // namespace

void traceback_free(Traceback* tb) {
  if (!tb) return;
  for (TracebackEntry& e : tb->entries) decref(Value::from(&e.code->header));
  delete tb;
}

void traceback_add(Value exc, CodeObject* code, std::uint32_t line) {
  if (!exc.is_object() || !(type_of(exc)->tp_flags & k_tp_exception)) return;
  if (runtime::is_immortal(exc.obj())) return;  // the shared MemoryError (raise_no_memory)
  auto* e = reinterpret_cast<ExceptionObject*>(exc.obj());
  if (!e->traceback) e->traceback = new (std::nothrow) Traceback;
  if (!e->traceback) return;
  // Out of memory (a traceback millions of calls deep), the entry is dropped: the report
  // loses lines, the process does not abort.
  try {
    e->traceback->entries.push_back({code, line});
  } catch (const std::bad_alloc&) {
    return;
  }
  incref(Value::from(&code->header));
}


std::string format_exception(Value exc) {
  std::string out;
  auto* e = reinterpret_cast<ExceptionObject*>(exc.obj());
  if ((type_of(exc)->tp_flags & k_tp_exception) && e->traceback &&
      !e->traceback->entries.empty()) {
    out += "Traceback (most recent call last):\n";
    auto& entries = e->traceback->entries;
    // As CPython: a run of more than three identical entries (recursion) shows three, then
    // "[Previous line repeated N more times]".
    std::size_t repeats = 0;
    auto flush_repeats = [&] {
      if (repeats > 3)
        out += fmt::format("  [Previous line repeated {} more time{}]\n", repeats - 3,
                           repeats - 3 == 1 ? "" : "s");
    };
    for (std::size_t i = entries.size(); i-- > 0;) {
      CodeObject* c = entries[i].code;
      if (i + 1 < entries.size() && entries[i + 1].code == c &&
          entries[i + 1].line == entries[i].line) {
        if (++repeats > 3) continue;
      } else {
        flush_repeats();
        repeats = 1;
      }
      out += fmt::format("  File \"{}\", line {}, in {}\n", c->filename->view(), entries[i].line,
                         c->name->view());
      std::string l = source_line(c->filename->view(), entries[i].line);
      if (!l.empty()) out += "    " + l + "\n";
    }
    flush_repeats();
  }
  std::string name = type_display_name(type_of(exc));
  std::string msg = str_or_fallback(exc);
  out += msg.empty() ? name + "\n" : name + ": " + msg + "\n";
  return out;
}

int handle_uncaught_exception() {
  Value exc = fetch_error();
  if (!exc) return 0;
  int status = 1;
  if (isinstance_of(exc, &g_SystemExit)) {
    TupleObject* args = reinterpret_cast<ExceptionObject*>(exc.obj())->args;
    Value code = args && args->size == 1 ? args->items[0]
                 : args && args->size > 1 ? Value::from(&args->header)
                                          : none();
    std::int64_t n;
    if (code == none()) {
      status = 0;
    } else if (as_int64(code, &n)) {
      status = int(n & 0xff);
    } else {
      flush_std_streams();
      write_stderr(str_or_fallback(code) + "\n");
      status = 1;
    }
  } else {
    flush_std_streams();
    write_stderr(format_exception(exc));
  }
  flush_std_streams();
  decref(exc);
  return status;
}

}  // namespace ftpy::interp
