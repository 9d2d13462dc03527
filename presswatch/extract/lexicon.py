"""Fixed word lists the rules read (no lemmatizer in the pipeline: forms are listed)."""

from __future__ import annotations


def _forms(*rows: str) -> frozenset[str]:
    return frozenset(w for row in rows for w in row.split())


# Verbs that introduce what someone said, wrote or stated, in every inflected form.
SPEECH_VERBS = _forms(
    "say says said saying",
    "tell tells told telling",
    "add adds added adding",
    "state states stated stating",
    "affirm affirms affirmed affirming",
    "declare declares declared declaring",
    "announce announces announced announcing",
    "claim claims claimed claiming",
    "explain explains explained explaining",
    "note notes noted noting",
    "insist insists insisted insisting",
    "warn warns warned warning",
    "argue argues argued arguing",
    "assert asserts asserted asserting",
    "acknowledge acknowledges acknowledged acknowledging",
    "admit admits admitted admitting",
    "concede concedes conceded conceding",
    "confirm confirms confirmed confirming",
    "deny denies denied denying",
    "report reports reported reporting",
    "write writes wrote written writing",
    "tweet tweets tweeted tweeting",
    "post posts posted posting",
    "reply replies replied replying",
    "respond responds responded responding",
    "remark remarks remarked remarking",
    "comment comments commented commenting",
    "recall recalls recalled recalling",
    "predict predicts predicted predicting",
    "promise promises promised promising",
    "vow vows vowed vowing",
    "pledge pledges pledged pledging",
    "urge urges urged urging",
    "ask asks asked asking",
    "conclude concludes concluded concluding",
    "observe observes observed observing",
    "suggest suggests suggested suggesting",
    "stress stresses stressed stressing",
    "emphasise emphasises emphasised emphasising",
    "emphasize emphasizes emphasized emphasizing",
    "reiterate reiterates reiterated reiterating",
    "maintain maintains maintained maintaining",
    "contend contends contended contending",
    "allege alleges alleged alleging",
    "charge charges charged charging",
    "complain complains complained complaining",
    "boast boasts boasted boasting",
    "joke jokes joked joking",
    "quip quips quipped quipping",
    "shout shouts shouted shouting",
    "yell yells yelled yelling",
    "exclaim exclaims exclaimed exclaiming",
    "scream screams screamed screaming",
    "whisper whispers whispered whispering",
    "continue continues continued continuing",
    "recount recounts recounted recounting",
    "reveal reveals revealed revealing",
    "disclose discloses disclosed disclosing",
    "testify testifies testified testifying",
    "indicate indicates indicated indicating",
    "announce announces announced announcing",
    "agree agrees agreed agreeing",
    "tout touts touted touting",
    "caution cautions cautioned cautioning",
    "conveyed convey conveys conveying",
    "describe describes described describing",
    "call calls called calling",
    "mock mocks mocked mocking",
    "counter counters countered countering",
    "retort retorts retorted retorting",
    "lament laments lamented lamenting",
    "proclaim proclaims proclaimed proclaiming",
    "mention mentions mentioned mentioning",
    "read reads reading",
    "wonder wonders wondered wondering",
    "answer answers answered answering",
)

# "went on", "points out": verbs that are speech verbs only with this particle.
PHRASAL_SPEECH = {"go": "on", "goes": "on", "went": "on", "going": "on",
                  "point": "out", "points": "out", "pointed": "out", "pointing": "out"}

# Verbs of thought or belief that PolNeAR-style attribution also counts for indirect speech.
COGNITION_VERBS = _forms(
    "believe believes believed believing",
    "think thinks thought thinking",
    "feel feels felt feeling",
    "know knows knew known knowing",
    "hope hopes hoped hoping",
    "fear fears feared fearing",
    "expect expects expected expecting",
    "learn learns learned learnt learning",
)

PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})

# Verbs of stance or intent whose object (not only a clause) is what PolNeAR counts as the
# attributed content: "criticized the president's foreign policy", "pledged his support".
# Also read with a clause ("polls show ..."). "want" is left out: on PolNeAR train it was
# wrong about as often as right.
STANCE_VERBS = _forms(
    "criticize criticizes criticized criticizing",
    "criticise criticises criticised criticising",
    "praise praises praised praising",
    "support supports supported supporting",
    "endorse endorses endorsed endorsing",
    "back backs backed backing",
    "oppose opposes opposed opposing",
    "reject rejects rejected rejecting",
    "condemn condemns condemned condemning",
    "accuse accuses accused accusing",
    "blame blames blamed blaming",
    "attack attacks attacked attacking",
    "slam slams slammed slamming",
    "blast blasts blasted blasting",
    "dismiss dismisses dismissed dismissing",
    "defend defends defended defending",
    "question questions questioned questioning",
    "demand demands demanded demanding",
    "propose proposes proposed proposing",
    "plan plans planned planning",
    "refuse refuses refused refusing",
    "seek seeks sought seeking",
    "thank thanks thanked thanking",
    "welcome welcomes welcomed welcoming",
    "applaud applauds applauded applauding",
    "prefer prefers preferred preferring",
    "favor favors favored favoring",
    "discuss discusses discussed discussing",
    "express expresses expressed expressing",
    "cite cites cited citing",
    "show shows showed shown showing",
    "find finds found finding",  # clause only ("polls found that ...")
    "decide decides decided deciding",
)

# Verbs whose object is what was said only with this preposition ("called for a ban").
PREP_OBJECT = {"call": "for", "calls": "for", "called": "for", "calling": "for",
               "talk": "about", "talks": "about", "talked": "about", "talking": "about",
               "speak": "about", "speaks": "about", "spoke": "about", "speaking": "about",
               "ask": "about", "asks": "about", "asked": "about", "asking": "about",
               "warn": "of", "warns": "of", "warned": "of", "warning": "of",
               "push": "for", "pushes": "for", "pushed": "for", "pushing": "for"}
