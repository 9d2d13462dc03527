-- mentions.label is the entity's label (docs/decisions.md); ner_label keeps the model's tag.
select m.article_id, m.entity_id, m.start_char, m.label, e.label as entity_label
from mentions m
join entities e using (entity_id)
where m.label is distinct from e.label
