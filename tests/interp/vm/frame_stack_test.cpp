// frame_stack_test.cpp: the frame stack (interp/vm/frame_stack.h) through push_frame/pop_frame
// and the eval loop, with frame_stack_validate checking its invariants at every step: enough
// frames to span several chunks, popped in reverse, then programs whose calls grow and unwind
// the stack. On a thread state of its own (VmScope), so teardown frees the chunks too.
#include <catch2/catch.hpp>

#include <memory>
#include <thread>
#include <vector>

#include "interp/compile/compiler.h"
#include "interp/front/source.h"
#include "interp/vm/frame_stack.h"
#include "interp/vm/vm.h"
#include "tests/interp/vm_scope.h"

using namespace ftpy::interp;
using ftpy::test::main_vm;
using ftpy::test::VmScope;

namespace {

CodeObject* compile(const char* text) {
  SyntaxErrorInfo err;
  CodeObject* co = compile_source(std::make_shared<const Source>("<test>", text), &err);
  REQUIRE(co != nullptr);
  return co;
}

std::size_t chunk_count(VmThread* vt) {
  std::size_t n = 0;
  for (FrameChunk* c = vt->chunk; c; c = c->prev) n++;
  return n;
}

}  // namespace

TEST_CASE("frame stack: pushes across chunks and pops in reverse", "[interp][vm]") {
  main_vm();
  std::thread t([] {
    VmScope scope;
    VmThread* vt = t_vm;
    CodeObject* co = compile("x = 1\n");
    Value globals = make_dict();
    REQUIRE(globals);
    frame_stack_validate(vt);
    std::vector<Frame*> frames;
    constexpr int k_frames = 20000;  // several 512 KiB chunks
    for (int i = 0; i < k_frames; i++) {
      Frame* f = push_frame(co, globals);
      REQUIRE(f != nullptr);
      f->prev = vt->frame;  // chained as eval_frame chains them, for the frame walk
      vt->frame = f;
      frames.push_back(f);
      if (i % 500 == 0) frame_stack_validate(vt);
    }
    frame_stack_validate(vt);
    std::size_t grown = chunk_count(vt);
    CHECK(grown > 2);
    while (!frames.empty()) {
      Frame* f = frames.back();
      frames.pop_back();
      REQUIRE(vt->frame == f);
      vt->frame = f->prev;
      pop_frame(f);
      if (frames.size() % 500 == 0) frame_stack_validate(vt);
    }
    CHECK(chunk_count(vt) == 1);
    // The chunks stay as spares: growing again reuses them.
    for (int i = 0; i < k_frames; i++) frames.push_back(push_frame(co, globals));
    frame_stack_validate(vt);
    CHECK(chunk_count(vt) == grown);
    while (!frames.empty()) {
      pop_frame(frames.back());
      frames.pop_back();
    }
    frame_stack_validate(vt);
    decref(globals);
    decref(Value::from(&co->header));
  });
  t.join();
}

TEST_CASE("frame stack: the eval loop's calls, returns and unwinding keep it valid",
          "[interp][vm]") {
  main_vm();
  std::thread t([] {
    VmScope scope;
    VmThread* vt = t_vm;
    CodeObject* co = compile(
        "def down(n):\n"
        "    return 0 if n == 0 else 1 + down(n - 1)\n"
        "def boom(n):\n"
        "    if n == 0:\n"
        "        raise ValueError('bottom')\n"
        "    try:\n"
        "        return boom(n - 1)\n"
        "    finally:\n"
        "        pass\n"
        "total = 0\n"
        "for i in range(20):\n"
        "    total += down(400)\n"
        "    try:\n"
        "        boom(300)\n"
        "    except ValueError:\n"
        "        total += 1\n");
    Value globals = make_dict();
    REQUIRE(globals);
    REQUIRE(dict_setitem_str(globals, intern("__builtins__"), vt->interp->builtins) == 0);
    Value r = run_code(co, globals, globals);
    REQUIRE(r);
    decref(r);
    CHECK(vt->frame == nullptr);
    frame_stack_validate(vt);
    Value total = dict_get_str(globals, intern("total"));
    std::int64_t n = 0;
    REQUIRE(as_int64(total, &n));
    CHECK(n == 20 * 401);
    decref(globals);
    decref(Value::from(&co->header));
  });
  t.join();
}
