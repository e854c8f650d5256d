"""What an analysis answers: options, typed frozen results, and the row builders both engines share.

Every engine (the in-memory one in :mod:`chaingraph.analysis`, Neo4j in
:mod:`chaingraph.neo4j.engine`) computes sums its own way and assembles them
into these results through the same builders, so rounding, order and shape
are defined once.  Nothing here imports an engine, a renderer or the CLI.
"""
