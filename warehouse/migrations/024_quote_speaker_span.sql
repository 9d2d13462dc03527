-- Issue 14: where the speaker is named in the body (the subject of the speech verb, the pronoun,
-- the colon label), so a quote's speaker can be read in its sentence and checked against a
-- source span; speaker and speaker_entity_id hold the resolved name, not its place.
ALTER TABLE quotes ADD COLUMN speaker_start INTEGER;  -- first character of the speaker's words (body offset)
ALTER TABLE quotes ADD COLUMN speaker_end INTEGER;    -- end of the speaker's words (exclusive)
