"""The transliteration channel, the weighted distance and the variant lexicon."""

from matching.name_channel import SCRIPT_GROUPS, channel_for, group_of
from matching.name_distance import weighted_distance
from matching.name_lexicon import NameLexicon, lexicon_key


def test_a_spelling_of_a_form_has_positive_evidence() -> None:
    channel = channel_for("Arab")
    # Folded forms, as the matcher compares them (doubled letters written once).
    assert channel.log_likelihood_ratio("mahamad", "muhamad") > 0
    assert channel.log_likelihood_ratio("mhmd", "muhamad") > 0


def test_a_look_alike_is_far_below_a_respelling() -> None:
    """Karim / Kerim change a vowel, Karim / Kamir move a consonant: the channel's last,
    discriminative step puts at least 15 nats between them (a channel fitted on true pairs
    alone put 10.6, and look-alikes of this kind were called matches)."""
    channel = channel_for("Latn")
    respelling = channel.log_likelihood_ratio("karim", "kerim")
    look_alike = channel.log_likelihood_ratio("karim", "kamir")
    assert look_alike < 0 < respelling
    assert respelling - look_alike > 15


def test_an_unrelated_spelling_has_negative_evidence() -> None:
    channel = channel_for("Arab")
    assert channel.log_likelihood_ratio("mahamad", "sorensen") < 0


def test_evidence_prefers_the_true_spelling_to_a_look_alike() -> None:
    channel = channel_for("Latn")
    assert channel.log_likelihood_ratio("hasan", "hassan") > channel.log_likelihood_ratio(
        "hasan", "husein"
    )


def test_every_known_script_has_a_channel_group() -> None:
    for script, group in SCRIPT_GROUPS.items():
        assert group_of(script) == group
        assert channel_for(group) is not None
    assert channel_for(group_of("Zzzz")) is not None


def test_weighted_distance_is_cheap_for_vowels_and_dear_for_consonants() -> None:
    assert weighted_distance("mhmd", "mohamed") < weighted_distance("kabir", "kadir") + 1
    assert weighted_distance("hasan", "hasen") < weighted_distance("kabir", "kadir")
    assert weighted_distance("gamal", "jamal") < 1.0


def test_weighted_distance_is_symmetric() -> None:
    assert weighted_distance("abdalla", "abdullah") == weighted_distance("abdullah", "abdalla")


def test_the_lexicon_groups_spellings_across_scripts() -> None:
    lexicon = NameLexicon([(7, "Олександр"), (7, "Oleksandr"), (7, "Aleksandr")])
    assert lexicon.same_name("олександр", "OLEKSANDR")
    assert lexicon.same_name("Aleksandr", "Oleksandr")
    assert not lexicon.same_name("Oleksandr", "Oksana")


def test_the_lexicon_reads_its_file_format() -> None:
    lexicon = NameLexicon.from_lines(["1\tmohamed\n", "1\tمحمد\n", "bad line\n"])
    assert lexicon.same_name("محمد", "Mohamed")
    assert len(lexicon) == 2


def test_lexicon_keys_tolerate_letter_variants() -> None:
    assert lexicon_key("أحمد") == lexicon_key("احمد")
    assert lexicon_key("Mohammed") == lexicon_key("mohamed")


def test_the_bundled_lexicon_loads() -> None:
    assert len(NameLexicon.bundled()) > 1000
