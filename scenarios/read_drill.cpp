// Reading the `traffic`, `drill`, `expect` and `run` sections.
#include "scenarios/limits.hpp"
#include "scenarios/read_sections.hpp"

#include "model/defects.hpp"

#include <limits>

namespace calldrill {

namespace {

using path_t = const std::string&;

/// A stage without `duration` lasts until the run ends.
constexpr sim_duration until_run_ends = limits::run_duration_max;

void read_stage(yaml_reader& r, const YAML::Node& n, path_t path, bool last,
                traffic_stage& st) {
  auto m = r.map(n, path, {"duration", "calls_per_second",
                           "busy_hour_call_attempts"});
  if (!m)
    return;
  st.duration = until_run_ends;
  if (m->get("duration") == nullptr && !last)
    r.error(*m, m->child("duration"),
            "required key is missing (only the last stage may leave it out "
            "and last until the run ends)");
  r.field(*m, "duration", st.duration, [&](const YAML::Node& v, path_t p) {
    return r.duration(v, p, std::chrono::milliseconds{1},
                      limits::run_duration_max);
  });
  const auto* cps = m->get("calls_per_second");
  const auto* bhca = m->get("busy_hour_call_attempts");
  if ((cps == nullptr) == (bhca == nullptr)) {
    r.error(*m, path, "give exactly one of calls_per_second and "
                      "busy_hour_call_attempts");
    return;
  }
  if (cps != nullptr) {
    if (auto v = r.number(*cps, m->child("calls_per_second"), 0.0,
                          limits::calls_per_second_max))
      st.rate_per_second = *v;
  } else if (auto v = r.number(*bhca, m->child("busy_hour_call_attempts"), 0.0,
                               limits::calls_per_second_max * 3600)) {
    st.rate_per_second = *v / 3600.0;
  }
}

void read_answer(yaml_reader& r, const YAML::Node& n, path_t path,
                 traffic_spec& t) {
  auto m = r.map(n, path, {"probability", "delay"});
  if (!m)
    return;
  r.field(*m, "probability", t.answer_probability,
          [&](const YAML::Node& v, path_t p) { return r.number(v, p, 0.0, 1.0); });
  if (const auto* v = m->get("delay"))
    if (auto d = r.span(*v, m->child("delay"), limits::delay_max)) {
      t.answer_delay_min = d->min;
      t.answer_delay_max = d->max;
    }
}

void read_pickup(yaml_reader& r, const YAML::Node& n, path_t path,
                 traffic_spec& t) {
  auto m = r.map(n, path, {"probability", "by_member", "delay"});
  if (!m)
    return;
  auto ratio = [&](const YAML::Node& v, path_t p) {
    return r.number(v, p, 0.0, 1.0);
  };
  r.field(*m, "probability", t.pickup_probability, ratio);
  r.field(*m, "by_member", t.pickup_by_member, ratio);
  if (const auto* v = m->get("delay"))
    if (auto d = r.span(*v, m->child("delay"), limits::delay_max)) {
      t.pickup_delay_min = d->min;
      t.pickup_delay_max = d->max;
    }
}

void read_hold(yaml_reader& r, const YAML::Node& n, path_t path,
               traffic_spec& t) {
  auto m = r.map(n, path, {"distribution", "mean"});
  if (!m)
    return;
  if (const auto* v = m->get("distribution"))
    r.choice(*v, m->child("distribution"), {"exponential"});
  r.field(*m, "mean", t.hold_mean, [&](const YAML::Node& v, path_t p) {
    return r.duration(v, p, std::chrono::seconds{1}, limits::delay_max);
  });
}

// -- drill ---------------------------------------------------------------------

std::vector<std::string_view> action_names() {
  std::vector<std::string_view> out;
  for (std::size_t k = 0; k < action_kind_count; ++k)
    out.push_back(name(static_cast<action_kind>(k)));
  return out;
}

void read_action(yaml_reader& r, const YAML::Node& n, path_t path,
                 drill_action& a) {
  a.where = path;
  auto m = r.map(n, path, {"at", "action", "pool", "range", "new_fqdn",
                           "call_park"});
  if (!m)
    return;
  r.require(*m, {"at", "action", "pool"});
  r.field(*m, "at", a.at, [&](const YAML::Node& v, path_t p) {
    return r.duration(v, p, sim_duration{0}, limits::run_duration_max);
  });
  auto text = [&](const YAML::Node& v, path_t p) { return r.text(v, p); };
  r.field(*m, "pool", a.pool, text);
  r.field(*m, "range", a.range, text);
  r.field(*m, "new_fqdn", a.new_fqdn, text);
  r.field(*m, "call_park", a.call_park_enabled,
          [&](const YAML::Node& v, path_t p) { return r.boolean(v, p); });
  const auto* kind = m->get("action");
  if (kind == nullptr)
    return;
  auto k = r.choice(*kind, m->child("action"), action_names());
  if (!k)
    return;
  for (std::size_t i = 0; i < action_kind_count; ++i)
    if (name(static_cast<action_kind>(i)) == *k)
      a.kind = static_cast<action_kind>(i);
  auto applies = [&](std::string_view key, bool needed) {
    if (needed && m->get(key) == nullptr)
      r.error(*m, m->child(key), "required key is missing for " + *k);
    if (!needed && m->get(key) != nullptr)
      r.error(*m->get(key), m->child(key), "does not apply to " + *k);
  };
  applies("range", a.kind == action_kind::set_orbit);
  applies("new_fqdn", a.kind == action_kind::replace_pool);
  if (a.kind != action_kind::replace_pool)
    applies("call_park", false);
}

void read_window(yaml_reader& r, const YAML::Node& n, path_t path,
                 chaos_spec& c) {
  auto m = r.map(n, path, {"start", "end"});
  if (!m)
    return;
  auto at = [&](const YAML::Node& v, path_t p) {
    return r.duration(v, p, sim_duration{0}, limits::run_duration_max);
  };
  r.field(*m, "start", c.window_start, at);
  r.field(*m, "end", c.window_end, at);
  if (c.window_start > c.window_end)
    r.error(*m, m->child("end"), "the window must not end before it starts");
}

void read_runbook(yaml_reader& r, const YAML::Node& n, path_t path,
                  chaos_spec& c) {
  auto m = r.map(n, path, {"invoke_failover", "failover_complete",
                           "redirect_ranges", "invoke_failback",
                           "failback_complete", "redirect_back",
                           "forget_probability"});
  if (!m)
    return;
  auto delay = [&](const YAML::Node& v, path_t p) {
    return r.span(v, p, limits::delay_max);
  };
  r.field(*m, "invoke_failover", c.invoke_failover, delay);
  r.field(*m, "failover_complete", c.failover_complete, delay);
  r.field(*m, "redirect_ranges", c.redirect_ranges, delay);
  r.field(*m, "invoke_failback", c.invoke_failback, delay);
  r.field(*m, "failback_complete", c.failback_complete, delay);
  r.field(*m, "redirect_back", c.redirect_back, delay);
  r.field(*m, "forget_probability", c.forget_probability,
          [&](const YAML::Node& v, path_t p) { return r.number(v, p, 0.0, 1.0); });
}

void read_chaos(yaml_reader& r, const YAML::Node& n, path_t path,
                chaos_spec& c) {
  c.where = path;
  if (!n.IsMap()) { // the short form: `chaos: random`, every default
    c.enabled = r.choice(n, path, {"random"}).has_value();
    return;
  }
  auto m = r.map(n, path, {"mode", "pools", "outages", "window",
                           "outage_duration", "runbook"});
  if (!m)
    return;
  c.enabled = true;
  if (const auto* v = m->get("mode"))
    c.enabled = r.choice(*v, m->child("mode"), {"random"}).has_value();
  if (const auto* v = m->get("pools")) {
    auto p = m->child("pools");
    if (r.list(*v, p, limits::pools_max))
      for (std::size_t i = 0; i < v->size(); ++i)
        if (auto s = r.text((*v)[i], yaml_reader::item(p, i)))
          c.pools.push_back(*s);
  }
  r.field(*m, "outages", c.outages, [&](const YAML::Node& v, path_t p) {
    return r.whole(v, p, 1, limits::chaos_outages_max);
  });
  if (const auto* v = m->get("window"))
    read_window(r, *v, m->child("window"), c);
  r.field(*m, "outage_duration", c.outage, [&](const YAML::Node& v, path_t p) {
    return r.span(v, p, limits::run_duration_max);
  });
  if (const auto* v = m->get("runbook"))
    read_runbook(r, *v, m->child("runbook"), c);
}

} // namespace

void read_traffic(yaml_reader& r, const YAML::Node& n, scenario& s) {
  auto m = r.map(n, "traffic", {"stages", "answer", "pickup", "ring_timeout",
                                "abandon_mean", "hold_time",
                                "max_active_calls"});
  if (!m)
    return;
  auto& t = s.traffic;
  r.require(*m, {"stages"});
  if (const auto* v = m->get("stages")) {
    auto p = m->child("stages");
    if (r.list(*v, p, limits::stages_max)) {
      if (v->size() == 0)
        r.error(*v, p, "needs at least one stage");
      for (std::size_t i = 0; i < v->size(); ++i) {
        t.stages.emplace_back();
        read_stage(r, (*v)[i], yaml_reader::item(p, i), i + 1 == v->size(),
                   t.stages.back());
      }
    }
  }
  if (const auto* v = m->get("answer"))
    read_answer(r, *v, m->child("answer"), t);
  if (const auto* v = m->get("pickup"))
    read_pickup(r, *v, m->child("pickup"), t);
  auto positive = [&](const YAML::Node& v, path_t p) {
    return r.duration(v, p, std::chrono::seconds{1}, limits::delay_max);
  };
  r.field(*m, "ring_timeout", t.ring_timeout, positive);
  r.field(*m, "abandon_mean", t.abandon_mean, positive);
  if (const auto* v = m->get("hold_time"))
    read_hold(r, *v, m->child("hold_time"), t);
  r.field(*m, "max_active_calls", t.max_active_calls,
          [&](const YAML::Node& v, path_t p) {
            return r.whole(v, p, 1, limits::active_calls_max);
          });
}

void read_drill(yaml_reader& r, const YAML::Node& n, scenario& s) {
  auto m = r.map(n, "drill", {"timeline", "chaos"});
  if (!m)
    return;
  if (const auto* v = m->get("timeline")) {
    auto p = m->child("timeline");
    if (r.list(*v, p, limits::actions_max))
      for (std::size_t i = 0; i < v->size(); ++i) {
        s.drill.emplace_back();
        read_action(r, (*v)[i], yaml_reader::item(p, i), s.drill.back());
      }
  }
  if (const auto* v = m->get("chaos"))
    read_chaos(r, *v, m->child("chaos"), s.chaos);
}

void read_expect(yaml_reader& r, const YAML::Node& n, scenario& s) {
  auto m = r.map(n, "expect", {"pickup_success_ratio_min",
                               "registration_storm_max", "rto_max",
                               "gcp_outage_max"});
  if (!m)
    return;
  r.field(*m, "pickup_success_ratio_min", s.expect.pickup_success_ratio_min,
          [&](const YAML::Node& v, path_t p) { return r.number(v, p, 0.0, 1.0); });
  r.field(*m, "registration_storm_max", s.expect.registration_storm_max,
          [&](const YAML::Node& v, path_t p) {
            return r.duration(v, p, std::chrono::seconds{1},
                              limits::run_duration_max);
          });
  for (auto key : {"rto_max", "gcp_outage_max"})
    r.field(*m, key, std::string{key} == "rto_max" ? s.expect.rto_max
                                                   : s.expect.gcp_outage_max,
            [&](const YAML::Node& v, path_t p) {
              return r.duration(v, p, std::chrono::seconds{1},
                                limits::run_duration_max);
            });
}

void read_run(yaml_reader& r, const YAML::Node& n, scenario& s) {
  auto m = r.map(n, "run", {"duration", "seed", "clock", "speed",
                            "tolerance", "users_per_host", "scheduler",
                            "workers", "partition", "defects"});
  if (!m)
    return;
  auto& run = s.run;
  r.field(*m, "duration", run.duration, [&](const YAML::Node& v, path_t p) {
    return r.duration(v, p, std::chrono::seconds{1}, limits::run_duration_max);
  });
  if (const auto* v = m->get("seed"))
    if (auto seed = r.whole(*v, m->child("seed"), 0,
                            std::numeric_limits<std::uint64_t>::max())) {
      run.seed = *seed;
      run.seed_given = true;
    }
  if (const auto* v = m->get("clock"))
    if (auto c = r.choice(*v, m->child("clock"), {"virtual", "realtime"}))
      run.clock = *c == "virtual" ? clock_kind::virtual_time
                                  : clock_kind::realtime;
  r.field(*m, "speed", run.speed, [&](const YAML::Node& v, path_t p) {
    return r.number(v, p, 0.001, limits::speed_max);
  });
  r.field(*m, "tolerance", run.tolerance, [&](const YAML::Node& v, path_t p) {
    return r.duration(v, p, sim_duration{0}, limits::tolerance_max);
  });
  r.field(*m, "users_per_host", run.users_per_host,
          [&](const YAML::Node& v, path_t p) {
            return r.whole(v, p, 1, limits::users_per_host_max);
          });
  r.field(*m, "scheduler", run.scheduler_policy,
          [&](const YAML::Node& v, path_t p) {
            return r.choice(v, p, {"sharing", "stealing"});
          });
  r.field(*m, "workers", run.workers, [&](const YAML::Node& v, path_t p) {
    return r.whole(v, p, 0, limits::workers_max);
  });
  if (const auto* v = m->get("partition"))
    if (auto c = r.choice(*v, m->child("partition"), {"none", "pairs"}))
      run.partition_by_pair = *c == "pairs";
  if (const auto* v = m->get("defects")) {
    auto p = m->child("defects");
    if (r.list(*v, p, defect_count))
      for (std::size_t i = 0; i < v->size(); ++i) {
        auto q = yaml_reader::item(p, i);
        auto text = r.text((*v)[i], q);
        if (!text)
          continue;
        if (auto d = parse_defect(*text))
          s.defects.add(*d);
        else
          r.error((*v)[i], q, "unknown defect '" + *text + "'");
      }
  }
}

} // namespace calldrill
