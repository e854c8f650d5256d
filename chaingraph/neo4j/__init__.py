"""Neo4j: a local server assembled from Maven Central, loading, and a backend.

``server`` starts and stops a Neo4j Community server; ``load`` writes a
dataset into any Neo4j; ``backend`` answers the analyses with the Cypher in
``queries/``.  Nothing here imports click.
"""
