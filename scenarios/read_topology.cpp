// Reading the `topology` section: pools, orbit ranges, pickup groups and
// client settings.
#include "scenarios/limits.hpp"
#include "scenarios/read_sections.hpp"

#include <cctype>

namespace calldrill {

namespace {

using path_t = const std::string&;

std::optional<std::string> fqdn(yaml_reader& r, const YAML::Node& n, path_t p) {
  auto s = r.text(n, p);
  if (!s)
    return s;
  for (char c : *s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-'
        && c != '_') {
      r.error(n, p, "'" + *s + "' is not a valid FQDN");
      return std::nullopt;
    }
  return s;
}

std::vector<std::string> names(yaml_reader& r, const YAML::Node& n, path_t p,
                               std::size_t max) {
  std::vector<std::string> out;
  if (!r.list(n, p, max))
    return out;
  for (std::size_t i = 0; i < n.size(); ++i)
    if (auto s = r.text(n[i], yaml_reader::item(p, i)))
      out.push_back(*s);
  return out;
}

grouping_spec read_grouping(yaml_reader& r, const YAML::Node& n, path_t path,
                            grouping_spec g) {
  auto m = r.map(n, path, {"size", "share", "ranges"});
  if (!m)
    return g;
  r.field(*m, "size", g.group_size, [&](const YAML::Node& v, path_t p) {
    return r.whole(v, p, 0, limits::group_size_max);
  });
  r.field(*m, "share", g.share_in_groups, [&](const YAML::Node& v, path_t p) {
    return r.number(v, p, 0.0, 1.0);
  });
  if (const auto* v = m->get("ranges"))
    g.ranges = names(r, *v, m->child("ranges"), limits::ranges_max);
  return g;
}

void read_capacity(yaml_reader& r, const YAML::Node& n, path_t path,
                   pool_spec& p) {
  auto m = r.map(n, path, {"users", "registrations_per_second",
                           "gcp_calls_per_minute", "pickups_per_minute"});
  if (!m)
    return;
  auto per_minute = [&](const YAML::Node& v, path_t q) {
    return r.number(v, q, 0.0, limits::capacity_per_minute_max);
  };
  r.field(*m, "users", p.capacity_users, [&](const YAML::Node& v, path_t q) {
    return r.whole(v, q, 0, limits::pool_users_max);
  });
  r.field(*m, "registrations_per_second", p.registrations_per_second,
          [&](const YAML::Node& v, path_t q) {
            return r.number(v, q, 0.001, limits::registrations_per_second_max);
          });
  r.field(*m, "gcp_calls_per_minute", p.gcp_calls_per_minute, per_minute);
  r.field(*m, "pickups_per_minute", p.pickups_per_minute, per_minute);
}

void read_pool(yaml_reader& r, const YAML::Node& n, path_t path, pool_spec& p,
               const grouping_spec& defaults) {
  p.where = path;
  auto m = r.map(n, path, {"fqdn", "site", "backup", "call_park", "users",
                           "capacity", "pickup_groups"});
  if (!m)
    return;
  r.require(*m, {"fqdn", "users"});
  auto name = [&](const YAML::Node& v, path_t q) { return fqdn(r, v, q); };
  r.field(*m, "fqdn", p.fqdn, name);
  r.field(*m, "backup", p.backup, name);
  r.field(*m, "site", p.site, [&](const YAML::Node& v, path_t q) {
    return r.text(v, q);
  });
  r.field(*m, "call_park", p.call_park_enabled,
          [&](const YAML::Node& v, path_t q) { return r.boolean(v, q); });
  r.field(*m, "users", p.users, [&](const YAML::Node& v, path_t q) {
    return r.whole(v, q, 0, limits::pool_users_max);
  });
  if (const auto* v = m->get("capacity"))
    read_capacity(r, *v, m->child("capacity"), p);
  if (const auto* v = m->get("pickup_groups"))
    p.grouping = read_grouping(r, *v, m->child("pickup_groups"), defaults);
}

void read_range(yaml_reader& r, const YAML::Node& n, path_t path,
                orbit_range_spec& o) {
  o.where = path;
  auto m = r.map(n, path,
                 {"identity", "start", "end", "type", "call_park_service"});
  if (!m)
    return;
  r.require(*m, {"identity", "start", "end", "type", "call_park_service"});
  r.field(*m, "identity", o.identity,
          [&](const YAML::Node& v, path_t q) { return r.text(v, q); });
  auto number = [&](const YAML::Node& v, path_t q) { return r.orbit_text(v, q); };
  r.field(*m, "start", o.start, number);
  r.field(*m, "end", o.end, number);
  if (const auto* v = m->get("type"))
    if (auto t = r.choice(*v, m->child("type"), {"CallPark", "GroupPickup"}))
      o.type = *t == "CallPark" ? range_type::call_park
                                : range_type::group_pickup;
  r.field(*m, "call_park_service", o.call_park_service,
          [&](const YAML::Node& v, path_t q) { return fqdn(r, v, q); });
}

void read_spanning(yaml_reader& r, const YAML::Node& n, path_t path,
                   spanning_group_spec& g) {
  g.where = path;
  auto m = r.map(n, path, {"pools", "size", "count", "first_number"});
  if (!m)
    return;
  r.require(*m, {"pools", "size", "first_number"});
  if (const auto* v = m->get("pools"))
    g.pools = names(r, *v, m->child("pools"), limits::pools_max);
  r.field(*m, "size", g.group_size, [&](const YAML::Node& v, path_t q) {
    return r.whole(v, q, 2, limits::group_size_max);
  });
  r.field(*m, "count", g.count, [&](const YAML::Node& v, path_t q) {
    return r.whole(v, q, 1, limits::groups_total_max);
  });
  r.field(*m, "first_number", g.first_number,
          [&](const YAML::Node& v, path_t q) { return r.orbit_text(v, q); });
}

void read_clients(yaml_reader& r, const YAML::Node& n, path_t path,
                  client_spec& c) {
  auto m = r.map(n, path, {"failover_interval", "detect_jitter", "move_jitter",
                             "registration_refresh"});
  if (!m)
    return;
  auto delay = [&](const YAML::Node& v, path_t q) {
    return r.duration(v, q, sim_duration{0}, limits::delay_max);
  };
  r.field(*m, "failover_interval", c.failover_interval, delay);
  r.field(*m, "detect_jitter", c.detect_jitter, delay);
  r.field(*m, "move_jitter", c.move_jitter, delay);
  r.field(*m, "registration_refresh", c.registration_refresh, delay);
}

template <class T, class Read>
void read_list(yaml_reader& r, const yaml_map& m, std::string_view key,
               std::size_t max, std::vector<T>& out, Read read) {
  const auto* v = m.get(key);
  if (v == nullptr || !r.list(*v, m.child(key), max))
    return;
  for (std::size_t i = 0; i < v->size(); ++i) {
    out.emplace_back();
    read((*v)[i], yaml_reader::item(m.child(key), i), out.back());
  }
}

} // namespace

void read_topology(yaml_reader& r, const YAML::Node& n, scenario& s) {
  auto m = r.map(n, "topology", {"pools", "orbit_ranges", "pickup_groups",
                                 "spanning_groups", "clients"});
  if (!m)
    return;
  r.require(*m, {"pools"});
  // Defaults first: a pool's own pickup_groups starts from them.
  if (const auto* v = m->get("pickup_groups"))
    s.grouping = read_grouping(r, *v, m->child("pickup_groups"), s.grouping);
  read_list(r, *m, "pools", limits::pools_max, s.pools,
            [&](const YAML::Node& v, path_t p, pool_spec& out) {
              read_pool(r, v, p, out, s.grouping);
            });
  std::uint64_t users = 0;
  for (const auto& p : s.pools)
    users += p.users;
  if (users > limits::users_total_max)
    r.error(*m->get("pools"), m->child("pools"),
            "at most " + std::to_string(limits::users_total_max)
              + " users in all, got " + std::to_string(users));
  read_list(r, *m, "orbit_ranges", limits::ranges_max, s.ranges,
            [&](const YAML::Node& v, path_t p, orbit_range_spec& out) {
              read_range(r, v, p, out);
            });
  read_list(r, *m, "spanning_groups", limits::spanning_rules_max,
            s.spanning_groups,
            [&](const YAML::Node& v, path_t p, spanning_group_spec& out) {
              read_spanning(r, v, p, out);
            });
  if (const auto* v = m->get("clients"))
    read_clients(r, *v, m->child("clients"), s.clients);
}

} // namespace calldrill
