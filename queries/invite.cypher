// invite.cypher — 以商引商: the outside suppliers of a zone's chain leaders, largest first,
// with the products they supply and the leaders they supply. Leaders are the zone's
// declared ones (chain_leader = true) unless the options name them.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', leaders: ['JC-JG', 'JC-FSK'], statuses: ['active']})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt, opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH (s:Enterprise)-[r:SUPPLIES]->(f:Enterprise)
WHERE f[scope] = zone AND NOT s[scope] = zone AND r.status IN statuses
  AND CASE WHEN opt.leaders IS NULL THEN coalesce(f.chain_leader, false) ELSE f.id IN opt.leaders END
WITH s, sum(r.value) AS value, collect(DISTINCT r.product) AS products, collect(DISTINCT f.id) AS leaders
RETURN s.id AS id, s.name AS name, s.zone AS zone, value,
       COLLECT { UNWIND products AS p RETURN p ORDER BY p } AS products,
       COLLECT { UNWIND leaders AS l RETURN l ORDER BY l } AS leaders
ORDER BY value DESC, id
