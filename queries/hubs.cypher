// hubs.cypher — 枢纽 / intermediaries of a zone by value routed (docs/analysis.md, "Hubs"):
// the zone's active links (buyer or supplier in the zone) that pass a firm as an intermediary
// in `via`, or whose supplier or buyer is a trader or logistics firm. into_value: links into
// the zone's buyers; purchases: the zone's total purchases (for the share).
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => {name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned']}
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
WHERE r.status IN statuses AND (s[scope] = zone OR b[scope] = zone)
  AND (size(coalesce(r.via, [])) > 0 OR s.kind IN ['trader', 'logistics'] OR b.kind IN ['trader', 'logistics'])
WITH r, b[scope] = zone AS inbound,
     coalesce(r.via, []) + [e IN [s, b] WHERE e.kind IN ['trader', 'logistics'] | e.id] AS ids
UNWIND ids AS hid
WITH DISTINCT r, inbound, hid
WITH hid, collect(CASE WHEN inbound THEN r.value END) AS into_values,
     collect(CASE WHEN inbound THEN null ELSE r.value END) AS out_values, count(r) AS links,
     collect(DISTINCT r.product) AS products
MATCH (h:Enterprise {id: hid})
RETURN h.id AS id, h.name AS name, h.zone AS zone, h.kind AS kind, into_values, out_values, links,
       COLLECT { UNWIND products AS p RETURN p ORDER BY p } AS products
ORDER BY id
