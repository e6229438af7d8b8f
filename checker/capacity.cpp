// The active-call limit, judged from the calls each host started and
// refused. A host keeps its share of `max_active_calls` (the limit over the
// hosts, rounded up); the checker does not know the share, but it is one
// number all run long: every call a host refused found no fewer of its
// calls alive than any call it let in, and none it let in found its share
// alive, which is at most the limit over the hosts the run named, rounded
// up. A host that forgets to free a call's place refuses below the level it
// once let calls in at; one that ignores the limit lets a call in where it
// refused one.
#include "checker/replay.hpp"

namespace calldrill::checking {

namespace {

/// A call's handle: host (16 bits) | generation (24) | slot (24).
std::uint32_t host_in(call_id id) { return static_cast<std::uint32_t>(id >> 48); }

/// "host H <did> call C at T with N of its calls up".
std::string acted(const char* did, call_id id, sim_duration at,
                  std::int64_t up) {
  return "host " + id_text(host_in(id)) + " " + did + " call " + id_text(id)
         + " at " + at_text(at) + " with " + id_text(up) + " of its calls up";
}

} // namespace

replay::host_calls& replay::host_of_call(call_id id) {
  auto h = host_in(id);
  if (h >= hosts_calls.size())
    hosts_calls.resize(h + 1);
  return hosts_calls[h];
}

void replay::let_in(const fact& f) {
  auto& h = host_of_call(f.id);
  auto limit = static_cast<std::int64_t>(scn.traffic.max_active_calls);
  if (h.alive >= limit)
    run.conservation.add(acted("started", f.id, f.at, h.alive)
                         + ": max_active_calls is " + id_text(limit));
  else if (h.least_kept_out >= 0 && h.alive >= h.least_kept_out)
    run.conservation.add(
      acted("started", f.id, f.at, h.alive) + ", but refused call "
      + id_text(h.kept_out) + " at " + at_text(h.kept_out_at) + " with "
      + id_text(h.least_kept_out) + " up: a host's share of max_active_calls "
        "is one number");
  if (h.alive > h.most_let_in) {
    h.most_let_in = h.alive;
    h.let_in = f.id;
    h.let_in_at = f.at;
  }
  ++h.alive;
}

void replay::kept_out(const fact& f) {
  auto& h = host_of_call(f.id);
  if (h.alive <= h.most_let_in)
    run.conservation.add(
      acted("refused", f.id, f.at, h.alive) + ", but started call "
      + id_text(h.let_in) + " at " + at_text(h.let_in_at) + " with "
      + id_text(h.most_let_in) + " up: a call is refused only when its host "
        "holds its share of max_active_calls");
  if (h.least_kept_out < 0 || h.alive < h.least_kept_out) {
    h.least_kept_out = h.alive;
    h.kept_out = f.id;
    h.kept_out_at = f.at;
  }
}

void replay::look_capacity() {
  if (hosts_calls.empty())
    return;
  std::uint64_t hosts = hosts_calls.size();
  auto limit = std::uint64_t{scn.traffic.max_active_calls};
  auto share = static_cast<std::int64_t>((limit + hosts - 1) / hosts);
  for (const auto& h : hosts_calls)
    if (h.most_let_in >= share && h.most_let_in < static_cast<std::int64_t>(limit))
      run.conservation.add(
        acted("started", h.let_in, h.let_in_at, h.most_let_in)
        + ", but the run had at least " + id_text(hosts)
        + " client hosts, so a host's share of max_active_calls ("
        + id_text(limit) + ") is at most " + id_text(share));
}

} // namespace calldrill::checking
