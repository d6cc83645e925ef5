// sync_demo.cpp: the sync layer at work across real threads, until the language lands.
// Eight "accounts" each guarded by the one-byte Mutex in their header; four threads move money
// between random pairs under CriticalSection2 (address-ordered, deadlock-free); a Once builds
// the bank, an Event starts every thread at the same moment. The total is conserved exactly.
#include <cstdio>
#include <thread>
#include <vector>

#include "sync/critical_section.h"
#include "sync/event.h"
#include "sync/once.h"

using namespace ftpy::sync;

namespace {

struct Account {
  Mutex mutex;  // one byte, like ob_mutex in every ftpy object
  long balance = 0;
};

constexpr int k_accounts = 8, k_threads = 4, k_transfers = 200000;
Account g_accounts[k_accounts];
Once g_open_bank;
Event g_start;
thread_local CriticalSectionStack t_sections;

void worker(unsigned seed) {
  g_open_bank.call([] {
    for (auto& a : g_accounts) a.balance = 1000;
    std::printf("bank opened by one thread: %d accounts of 1000\n", k_accounts);
  });
  g_start.wait();
  for (int i = 0; i < k_transfers; i++) {
    seed = seed * 1103515245 + 12345;
    Account& from = g_accounts[(seed >> 8) % k_accounts];
    Account& to = g_accounts[(seed >> 16) % k_accounts];
    CriticalSection2 cs(t_sections, from.mutex, to.mutex);
    long amount = from.balance / 10;
    from.balance -= amount;
    to.balance += amount;
  }
}

}  // namespace

int main() {
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; t++) threads.emplace_back(worker, unsigned(t + 1));
  g_start.set();
  for (auto& th : threads) th.join();
  long total = 0;
  for (auto& a : g_accounts) total += a.balance;
  std::printf("%d threads made %d transfers each; total balance %ld (expected %d)\n", k_threads,
              k_transfers, total, k_accounts * 1000);
  return total == k_accounts * 1000 ? 0 : 1;
}
