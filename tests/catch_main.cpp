// catch_main.cpp: the one translation unit that holds Catch2's runner, shared by every test
// executable so each test file compiles quickly.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
