// subinterp.cpp: the registry of live interpreters, switching a thread between them, and
// their creation, exec and close (see subinterp.h for the contract).
#include "interp/modules/subinterp.h"

#include <algorithm>
#include <memory>
#include <new>

#include <fmt/format.h>

#include "gc/collect.h"
#include "gc/state.h"
#include "interp/compile/code.h"
#include "interp/compile/compiler.h"
#include "interp/front/source.h"
#include "interp/front/syntax_error.h"
#include "interp/modules/interp_init.h"
#include "interp/modules/modules.h"
#include "interp/objects/module_type.h"
#include "interp/vm/traceback.h"
#include "interp/vm/vm.h"
#include "runtime/runtime.h"
#include "runtime/thread_state.h"

namespace ftpy::interp {

// ---- switching ------------------------------------------------------------------------------

InterpSwitch::InterpSwitch(VmInterp* target) : m_outer(t_vm) {
  if (m_outer && m_outer->interp == target) {
    m_ok = true;
    return;
  }
  if (m_outer) {
    FTPY_DCHECK(m_outer == vm_thread_checked());
    m_outer->ts->detach();
  }
  t_vm = nullptr;
  runtime::ThreadStatus status;
  if (runtime::ThreadState* ts = runtime::ThreadState::create(target->rt, &status)) {
    ts->attach();
    m_inner = new (std::nothrow) VmThread;
    if (m_inner) {
      m_inner->ts = ts;
      m_inner->interp = target;
      m_inner->outer = m_outer;
      ts->m_upper_state = m_inner;
      t_vm = m_inner;
      FTPY_DCHECK(vm_thread_checked() == m_inner);
      m_ok = true;
      return;
    }
    ts->destroy();
  }
  t_vm = m_outer;
  if (m_outer) m_outer->ts->attach();
}

InterpSwitch::~InterpSwitch() {
  if (!m_inner) return;  // never left (already there, or the switch failed)
  clear_error();
  free_frame_stack();
  runtime::ThreadState* ts = m_inner->ts;
  ts->m_upper_state = nullptr;
  ts->destroy();  // deallocations in it still see m_inner (the trashcan)
  delete m_inner;
  t_vm = m_outer;
  if (m_outer) m_outer->ts->attach();
}

// ---- the registry ---------------------------------------------------------------------------

namespace {

struct Entry {
  std::int64_t id;
  VmInterp* vi;
  bool running = false;
  int users = 0;
  bool closing = false;
};

sync::RankedMutex g_mutex{sync::LockRank::Interpreters};
std::vector<Entry*> g_entries FTPY_GUARDED_BY(g_mutex);  // ascending ids
Entry* g_main_entry FTPY_GUARDED_BY(g_mutex) = nullptr;

// The entry of id; one being closed only if closing_ok (its own threads still ask about it
// while close waits for them).
Entry* find(std::int64_t id, bool closing_ok = false) FTPY_REQUIRES(g_mutex) {
  for (Entry* e : g_entries)
    if (e->id == id && (closing_ok || !e->closing)) return e;
  return nullptr;
}

// Marks entry `id` in use for an exec (exclusive) or a prepare_main (shared).
XiStatus enter_entry(std::int64_t id, bool exec, Entry** out) {
  sync::MutexGuard g(g_mutex);
  Entry* e = find(id);
  if (!e) return XiStatus::NotFound;
  if (exec && e->running) return XiStatus::Running;
  if (exec) e->running = true;
  e->users++;
  *out = e;
  return XiStatus::Ok;
}

void leave_entry(Entry* e, bool exec) {
  sync::MutexGuard g(g_mutex);
  if (exec) e->running = false;
  e->users--;
}

// Everything an interpreter owns outside its objects, once no thread state of it is left.
void destroy_vm_interp(VmInterp* vi) {
  runtime::Interpreter* rt = vi->rt;
  xi_registry_free(vi);
  rt->m_upper_state = nullptr;
  delete vi;
  gc::fini_interpreter(rt);
  runtime::Runtime::get().destroy_interpreter(rt);
}

// ExcSnapshot::formatted ends without a newline.
void strip_final_newlines(std::string* text) {
  while (!text->empty() && text->back() == '\n') text->pop_back();
}

// The pending exception, taken, as strings (in the interpreter that raised it).
void snapshot_error(ExcSnapshot* out) {
  Value exc = fetch_error();
  if (!exc) {
    out->type = "SystemError";
    out->msg = "error return without exception set";
    out->formatted = "SystemError: " + out->msg;
    return;
  }
  int_guard([&] {
    out->type = std::string(type_of(exc)->name->view());
    if (Value s = str(exc)) {
      out->msg = std::string(as_str(s)->view());
      decref(s);
    } else {
      clear_error();
      out->msg = "<exception str() failed>";
    }
    out->formatted = format_exception(exc);
    strip_final_newlines(&out->formatted);
    return 0;
  });
  clear_error();
  decref(exc);
}

// Compiles and runs `text` in the current interpreter's __main__. 0, or 1 with *snap filled.
int run_source(std::string_view text, ExcSnapshot* snap) {
  int rc = int_guard([&] {
    auto source = std::make_shared<const Source>("<string>", std::string(text));
    SyntaxErrorInfo err;
    CodeObject* code = compile_source(source, &err);
    if (!code) {
      if (err.message.empty()) return -1;  // an exception (MemoryError) is pending
      snap->type = std::string(kind_name(err.kind));
      snap->msg = fmt::format("{} ({}, line {})", err.message, err.filename, err.line);
      snap->formatted = format_syntax_error(err);
      strip_final_newlines(&snap->formatted);
      return 1;
    }
    Value globals = module_dict(t_vm->interp->main_module);
    Value r = run_code(code, globals, globals);
    decref(Value::from(&code->header));
    if (!r) return -1;
    decref(r);
    return 0;
  });
  if (rc < 0) {
    snapshot_error(snap);
    rc = 1;
  }
  flush_std_streams();  // what the code printed comes before what the caller prints next
  return rc;
}

// The interpreter's end, in it (see interp_close).
void finalize_current() {
  VmThread* vt = vm_thread_checked();
  vt->interp->rt->set_finalizing();  // no new thread state, so no new thread, from here
  join_non_daemon_threads(vt->interp);
  interp_clear_state(vt->interp);
  // Cycles left by the code; two passes, as the first one's clears may leave more.
  gc::collect(gc::Reason::Manual);
  gc::collect(gc::Reason::Manual);
  vt->ts->drain_delayed(100 * sync::k_ms);
}

}  // namespace

// ---- the operations -------------------------------------------------------------------------

bool interp_register_main(VmInterp* vi) {
  auto* e = new (std::nothrow) Entry{vi->rt->id(), vi};
  if (!e) return false;
  e->running = true;  // its __main__ runs for as long as the process
  sync::MutexGuard g(g_mutex);
  g_main_entry = e;
  g_entries.insert(g_entries.begin(), e);
  return true;
}

XiStatus interp_create(std::int64_t* id) {
  runtime::Runtime& rt = runtime::Runtime::get();
  runtime::InterpStatus st;
  runtime::Interpreter* interp = rt.create_interpreter(&st);
  if (!interp) return st == runtime::InterpStatus::NoArena ? XiStatus::NoArena : XiStatus::NoMemory;
  auto* vi = new (std::nothrow) VmInterp;
  if (!vi || !gc::init_interpreter(interp)) {
    delete vi;
    gc::fini_interpreter(interp);
    rt.destroy_interpreter(interp);
    return XiStatus::NoMemory;
  }
  vi->rt = interp;
  interp->m_upper_state = vi;
  // Registered first, hidden (closing) until it is built: once built, nothing can fail
  // before it is found, so a built interpreter is never left out of the registry.
  auto* e = new (std::nothrow) Entry{interp->id(), vi};
  bool registered = false;
  if (e) {
    e->closing = true;
    try {
      sync::MutexGuard g(g_mutex);
      g_entries.push_back(e);
      registered = true;
    } catch (const std::bad_alloc&) {
    }
  }
  bool built = false;
  if (registered) {
    InterpSwitch sw(vi);
    if (sw.ok()) {
      built = interp_init_state(vi);
      if (!built) {
        clear_error();
        finalize_current();  // drops what was built, so the arena comes back clean
      }
    }
  }
  if (!built) {
    if (registered) {
      sync::MutexGuard g(g_mutex);
      g_entries.erase(std::find(g_entries.begin(), g_entries.end(), e));
    }
    delete e;
    destroy_vm_interp(vi);
    return XiStatus::NoMemory;
  }
  {
    sync::MutexGuard g(g_mutex);
    e->closing = false;
  }
  *id = e->id;
  return XiStatus::Ok;
}

XiStatus interp_exec(std::int64_t id, std::string_view source, ExcSnapshot* exc) {
  Entry* e;
  XiStatus st = enter_entry(id, /*exec=*/true, &e);
  if (st != XiStatus::Ok) return st;
  {
    InterpSwitch sw(e->vi);
    if (!sw.ok()) st = XiStatus::NoMemory;
    else if (run_source(source, exc) != 0) st = XiStatus::Failed;
  }
  leave_entry(e, /*exec=*/true);
  return st;
}

XiStatus interp_prepare_main(std::int64_t id,
                             std::vector<std::pair<std::string, XiData>>* items) {
  Entry* e;
  XiStatus st = enter_entry(id, /*exec=*/false, &e);
  if (st != XiStatus::Ok) return st;
  {
    InterpSwitch sw(e->vi);
    if (!sw.ok()) {
      st = XiStatus::NoMemory;
    } else {
      Value globals = module_dict(e->vi->main_module);
      for (auto& [name, data] : *items) {
        Value key = make_str(name);
        Value v = key ? xi_build(data) : Value::null();
        int rc = v ? dict_setitem(globals, key, v) : -1;
        xdecref(key);
        xdecref(v);
        if (rc < 0) {
          clear_error();
          st = XiStatus::NoMemory;
          break;
        }
      }
    }
  }
  leave_entry(e, /*exec=*/false);
  return st;
}

XiStatus interp_close(std::int64_t id) {
  Entry* e;
  {
    sync::MutexGuard g(g_mutex);
    e = find(id);
    if (!e) return XiStatus::NotFound;
    if (e == g_main_entry) return XiStatus::Main;
    // Inside it, now or further out on this OS thread (which close would then wait for).
    for (VmThread* v = t_vm; v; v = v->outer)
      if (v->interp == e->vi) return XiStatus::Current;
    if (e->running || e->users > 0) return XiStatus::Running;
    e->closing = true;
  }
  {
    InterpSwitch sw(e->vi);
    if (!sw.ok()) {
      sync::MutexGuard g(g_mutex);
      e->closing = false;
      return XiStatus::NoMemory;
    }
    finalize_current();
  }
  {
    sync::MutexGuard g(g_mutex);
    g_entries.erase(std::find(g_entries.begin(), g_entries.end(), e));
  }
  destroy_vm_interp(e->vi);
  delete e;
  return XiStatus::Ok;
}

XiStatus interp_is_running(std::int64_t id, bool* running) {
  sync::MutexGuard g(g_mutex);
  Entry* e = find(id, /*closing_ok=*/true);
  if (!e) return XiStatus::NotFound;
  *running = e->running;
  return XiStatus::Ok;
}

std::vector<std::int64_t> interp_list() {
  sync::MutexGuard g(g_mutex);
  std::vector<std::int64_t> ids;
  for (Entry* e : g_entries)
    if (!e->closing) ids.push_back(e->id);
  std::sort(ids.begin(), ids.end());  // two creates may register out of id order
  return ids;
}

void interp_close_all() {
  for (std::int64_t id : interp_list())
    if (id != 0) (void)interp_close(id);
}

}  // namespace ftpy::interp
