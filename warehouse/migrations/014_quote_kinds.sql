-- Issue 14: quotes gain the kind 'mixed' (a reported clause holding quoted words: the row's
-- text is the whole clause) and, for it, where the quoted words sit inside the body.
-- speaker_entity_id (001) is now also filled for pronoun, role and relative-pronoun speakers.
ALTER TABLE quotes ADD COLUMN quoted_start INTEGER;  -- mixed: first quoted character (body offset)
ALTER TABLE quotes ADD COLUMN quoted_end INTEGER;    -- mixed: end of the quoted words (exclusive)
