from minitmpl import Markup, Template, escape


def html(source, **variables):
    return Template(source, autoescape=True).render(**variables)


def test_escape_special_characters():
    assert escape('<a href="x">&</a>') == "&lt;a href=&#34;x&#34;&gt;&amp;&lt;/a&gt;"


def test_escape_returns_markup():
    assert isinstance(escape("x"), Markup)


def test_markup_is_not_escaped_again():
    assert escape(Markup("<b>bold</b>")) == "<b>bold</b>"
    assert escape(escape("<")) == "&lt;"


def test_html_protocol():
    class Link:
        def __html__(self):
            return '<a href="/">home</a>'

    assert html("{{ link }}", link=Link()) == '<a href="/">home</a>'


def test_autoescape_off_by_default():
    assert Template("{{ x }}").render(x="<b>") == "<b>"


def test_autoescape_escapes_variables():
    assert html("<p>{{ bio }}</p>", bio="<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_autoescape_leaves_template_text_alone():
    assert html("<b>{{ n }}</b>", n=1) == "<b>1</b>"


def test_safe_filter():
    assert html("{{ x | safe }}", x="<b>ok</b>") == "<b>ok</b>"


def test_escape_filter_without_autoescape():
    assert Template("{{ x | e }}").render(x="<b>") == "&lt;b&gt;"


def test_escape_filter_is_not_doubled_by_autoescape():
    assert html("{{ x | escape }}", x="<b>") == "&lt;b&gt;"


def test_filtered_value_is_escaped():
    assert html("{{ name | upper }}", name="<i>ada</i>") == "&lt;I&gt;ADA&lt;/I&gt;"


def test_join_escapes_items():
    assert html("{{ items | join('-') }}", items=["<a>", "b"]) == "&lt;a&gt;-b"
