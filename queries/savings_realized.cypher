// savings_realized.cypher — 已实现节约 (docs/analysis.md definition 4): a zone's buyers that
// replaced a former outside supplier of a product with an active local one. before and
// after are value-weighted mean landed costs (unit price + logistics); a group whose
// values sum to 0 uses the plain mean.
//
// Neo4j Browser:  :param zone => '晋城经开区'   then paste and run this whole file.
// Options: :param zone => ({name: '晋城经开区', scope: 'zone', statuses: ['active', 'planned']})
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH (o:Enterprise)-[f:SUPPLIES]->(b:Enterprise)
WHERE f.status = 'former' AND f.landed IS NOT NULL AND b[scope] = zone AND NOT o[scope] = zone
WITH zone, scope, statuses, b, f.product AS product, collect(f) AS olds, collect(DISTINCT o.id) AS former_suppliers
MATCH (l:Enterprise)-[a:SUPPLIES]->(b)
WHERE a.product = product AND a.status IN statuses AND a.landed IS NOT NULL AND l[scope] = zone
WITH b, product, olds, former_suppliers, a, l
ORDER BY a.value DESC, l.id
WITH b, product, olds, former_suppliers, collect(a) AS news, collect(l.id) AS locals
WITH b, product, former_suppliers, locals,
     reduce(w = 0.0, x IN olds | w + x.value * x.landed) AS ow, reduce(v = 0.0, x IN olds | v + x.value) AS ov,
     reduce(m = 0.0, x IN olds | m + x.landed) / size(olds) AS om,
     reduce(w = 0.0, x IN news | w + x.value * x.landed) AS nw, reduce(v = 0.0, x IN news | v + x.value) AS nv,
     reduce(m = 0.0, x IN news | m + x.landed) / size(news) AS nm,
     reduce(s = 0.0, x IN news | s + coalesce(x.vol, 0.0)) AS volume
WITH b, product, former_suppliers, locals, volume,
     CASE WHEN ov > 0 THEN ow / ov ELSE om END AS before, CASE WHEN nv > 0 THEN nw / nv ELSE nm END AS after
RETURN b.id AS buyer_id, b.name AS buyer_name, product, head(locals) AS supplier_id,
       COLLECT { UNWIND locals AS x RETURN DISTINCT x ORDER BY x } AS local_suppliers,
       COLLECT { UNWIND former_suppliers AS x RETURN x ORDER BY x } AS former_suppliers,
       before, after, before - after AS unit_saving,
       CASE WHEN before = 0 THEN null ELSE (before - after) / before END AS saving_rate,
       volume, (before - after) * volume AS annual_saving
ORDER BY annual_saving DESC, buyer_id, product
