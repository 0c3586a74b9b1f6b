import pytest

from explainer.core.language.text import BOS, EOS, PAD, SEP, UNK, Vocabulary, tokenize


def test_tokenize_lowercases_and_splits_punctuation():
    assert tokenize("How do I boil an EGG?") == ["how", "do", "i", "boil", "an", "egg", "?"]
    assert tokenize("Sure!  Put it in, then wait...") == \
        ["sure", "!", "put", "it", "in", ",", "then", "wait", ".", ".", "."]
    assert tokenize("") == [] and tokenize("   ") == []


def test_specials_come_first_and_unknown_words_become_unk():
    vocab = Vocabulary.from_texts(["the egg .", "an egg !"])
    assert (PAD, UNK, BOS, SEP, EOS) == (0, 1, 2, 3, 4)
    assert vocab.tokens[:5] == ["<pad>", "<unk>", "<bos>", "<sep>", "<eos>"]
    assert len(vocab) == 5 + 5
    assert vocab.encode("The zebra egg") == [vocab.id("the"), UNK, vocab.id("egg")]
    assert vocab.decode([BOS, *vocab.encode("an egg !"), EOS, PAD]) == "an egg !"
    assert vocab.unknown_words("the zebra") == ["zebra"]


def test_same_texts_in_any_order_give_the_same_ids():
    assert Vocabulary.from_texts(["a b", "c"]).tokens == Vocabulary.from_texts(["c", "b a"]).tokens


def test_json_round_trip_and_rejects_garbage():
    vocab = Vocabulary.from_texts(["how do i boil an egg ?"])
    assert Vocabulary.from_json(vocab.to_json()) == vocab
    for bad in ("[]", '{"format": "x"}', '{"format": "explainer-vocabulary", "tokens": [1]}',
                '{"format": "explainer-vocabulary", "tokens": ["a", "a"]}'):
        with pytest.raises(ValueError):
            Vocabulary.from_json(bad)
