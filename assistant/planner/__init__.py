"""The offline planner: English and Chinese questions to query specs, with no LLM.

It reads a question against a vocabulary built from the semantic model (names, synonyms,
dimension values) and a little language knowledge (time expressions, cue words), the way
Power BI Q&A read a linguistic schema. When it cannot read a question with confidence it
declines and suggests what it can answer.
"""
