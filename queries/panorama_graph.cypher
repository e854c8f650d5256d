// panorama_graph.cypher — 产业链全景图 as a graph: every stage of the chain map (chains.csv) for a
// zone, coloured by its status there as docs/analysis.md defines it ("The chain panorama"):
// 强 strong (green), 弱 weak (yellow: one local maker, or at least half bought outside), 缺 missing
// (red: bought outside, no maker), 空白 empty (pale red: no maker, nothing bought from outside).
// Each stage shows its chain, the FEEDS arrows of the map, its largest local makers (blue, 3, by
// value sold) and, for missing and weak stages, the largest outside suppliers to invite (orange,
// 3, by value sold into the zone) with what they sell the zone's buyers; maker_count and
// invite_count count them all, as the panorama page does. Without a chain map it returns
// nothing (use gap_graph.cypher; `chaingraph panorama` derives chains from the flow graph).
//
// Neo4j Browser:  :param zone => '晋城经开区'   then run this whole file (graph view), with
// queries/chaingraph.grass as the style. Options:
//   :param zone => ({name: '晋城经开区', chain: '充电桩', statuses: ['active', 'planned'], scope: 'zone'})
// It labels the nodes it returns (Strong/Weak/Gap/Empty, Local/Outside/Invitee) so that
// chaingraph.grass colours them: it needs a user who may write labels.
WITH CASE WHEN valueType($zone) STARTS WITH 'MAP' THEN $zone ELSE {name: $zone} END AS opt
WITH opt, opt.name AS zone, coalesce(opt.scope, 'zone') AS scope, coalesce(opt.statuses, ['active']) AS statuses
MATCH (p:Product)-[ic:IN_CHAIN]->(c:Chain)
WHERE opt.chain IS NULL OR c.name = opt.chain
WITH DISTINCT zone, scope, statuses, p, opt
CALL (p, zone, scope, statuses) {
  OPTIONAL MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE r.product = p.name AND r.status IN statuses AND b[scope] = zone
  // sums in full precision; the half rule compares them as shown, to the fen (docs/analysis.md)
  RETURN coalesce(sum(r.value), 0.0) AS purchase,
         coalesce(sum(CASE WHEN s[scope] = zone THEN 0.0 ELSE r.value END), 0.0) AS demand
}
WITH opt, zone, scope, statuses, p, demand, toInteger(round(purchase * 100)) AS purchase_fen,
     toInteger(round(demand * 100)) AS demand_fen, COLLECT {
  CALL (p, zone, scope, statuses) {
    MATCH (m:Enterprise)-[:MAKES]->(p) WHERE m[scope] = zone RETURN m
    UNION
    MATCH (m:Enterprise)-[x:SUPPLIES]->() WHERE m[scope] = zone AND x.product = p.name AND x.status IN statuses
    RETURN m
  }
  WITH m, COLLECT { MATCH (m)-[x:SUPPLIES]->() WHERE x.product = p.name AND x.status IN statuses
                    RETURN x.value } AS sales
  WITH m, reduce(t = 0.0, v IN sales | t + v) AS sold
  ORDER BY sold DESC, m.id
  RETURN m
} AS makers
WITH opt, zone, scope, statuses, p, makers,
     CASE WHEN size(makers) = 0 AND demand > 0 THEN 'missing'
          WHEN size(makers) = 0 THEN 'empty'
          WHEN size(makers) = 1 AND purchase_fen > 0 AND 2 * demand_fen >= purchase_fen THEN 'weak_gap'
          WHEN size(makers) = 1 THEN 'one_maker'
          WHEN purchase_fen > 0 AND 2 * demand_fen >= purchase_fen THEN 'mostly_outside'
          ELSE 'strong' END AS reason
WITH opt, zone, scope, statuses, p, makers, reason,
     CASE WHEN reason IN ['weak_gap', 'one_maker', 'mostly_outside'] THEN 'weak' ELSE reason END AS kind
FOREACH (_ IN CASE kind WHEN 'strong' THEN [1] ELSE [] END | SET p:Strong REMOVE p:Weak:Gap:Empty)
FOREACH (_ IN CASE kind WHEN 'weak' THEN [1] ELSE [] END | SET p:Weak REMOVE p:Strong:Gap:Empty)
FOREACH (_ IN CASE kind WHEN 'missing' THEN [1] ELSE [] END | SET p:Gap REMOVE p:Strong:Weak:Empty)
FOREACH (_ IN CASE kind WHEN 'empty' THEN [1] ELSE [] END | SET p:Gap:Empty REMOVE p:Strong:Weak)
FOREACH (m IN makers[0..3] | SET m:Local REMOVE m:Outside:Invitee)
WITH opt, zone, scope, statuses, p, kind, reason, size(makers) AS maker_count, makers[0..3] AS shown
CALL (p, kind, zone, scope, statuses) {
  // the outside suppliers to invite: the largest sellers of a missing or weak stage into the zone
  OPTIONAL MATCH (s:Enterprise)-[r:SUPPLIES]->(b:Enterprise)
  WHERE kind IN ['missing', 'weak'] AND r.product = p.name AND r.status IN statuses AND b[scope] = zone
    AND NOT s[scope] = zone
  WITH s, sum(r.value) AS value ORDER BY value DESC, s.id
  WITH collect(s) AS sellers
  RETURN sellers[0..3] AS invitees, size(sellers) AS invite_count
}
FOREACH (s IN invitees | SET s:Outside:Invitee REMOVE s:Local)
WITH opt, zone, scope, statuses, p, kind, reason, maker_count, shown, invitees, invite_count
CALL (p, shown, statuses) {
  // each maker shown by its MAKES arrow, else by its largest sale of the stage
  UNWIND shown AS m
  CALL (m, p, statuses) {
    MATCH g = (m)-[:MAKES]->(p) RETURN g
    UNION
    MATCH g = (m)-[x:SUPPLIES]->(:Enterprise)
    WHERE NOT EXISTS { (m)-[:MAKES]->(p) } AND x.product = p.name AND x.status IN statuses
    WITH g, x ORDER BY x.value DESC LIMIT 1
    RETURN g
  }
  RETURN collect(g) AS made
}
CALL (p, invitees, zone, scope, statuses) {
  // what the invitees sell the zone's buyers
  UNWIND invitees AS s
  MATCH g = (s)-[r:SUPPLIES]->(b:Enterprise)
  WHERE r.product = p.name AND r.status IN statuses AND b[scope] = zone
  SET b:Local REMOVE b:Outside:Invitee
  RETURN collect(g) AS invited
}
RETURN p.name AS stage, kind AS status,
       CASE kind WHEN 'strong' THEN '强' WHEN 'weak' THEN '弱' WHEN 'missing' THEN '缺' ELSE '空白' END AS 状态,
       reason, [m IN shown | m.id] AS makers, maker_count, [s IN invitees | s.id] AS invitees, invite_count,
       COLLECT { MATCH g = (p)-[:IN_CHAIN]->(c:Chain) WHERE opt.chain IS NULL OR c.name = opt.chain RETURN g } AS chain,
       COLLECT { MATCH g = (:Product)-[f:FEEDS]->(p) WHERE opt.chain IS NULL OR f.chain = opt.chain RETURN g } AS feeds,
       made, invited
ORDER BY stage
