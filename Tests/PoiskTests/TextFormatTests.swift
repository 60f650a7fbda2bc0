// The text formats of folder loading: HTML without its markup, and the titles of the light
// markup formats (TextFormats.swift, HTMLText.swift).

import Testing

@testable import Poisk

@Suite struct TextFormatTests {
    @Test func htmlLosesItsMarkupAndKeepsItsText() {
        let html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title> The
              Title &mdash; here </title>
            <style>.x { content: "<p>" }</style><script>if (a < b) { document.write("</p>") }</script></head>
            <body><!-- a comment with <b>tags</b> --><h1>Heading</h1><p>One <a href="x?a=1&amp;b=2" title="a > b">link</a>,
            two&nbsp;words &lt;tag&gt; &#65;&#x42;&#X43; &#150; &unknown; AT&T</p>
            <ul><li>first</li><li>second</li></ul><table><tr><td>c1</td><td>c2</td></tr></table>
            <pre>  keep
              spacing</pre><p>a < b</p></body></html>
            """
        let (title, text) = HTMLText.extract(Array(html.utf8))
        #expect(title == "The Title — here")
        #expect(
            text == """
                Heading
                One link, two\u{00A0}words <tag> ABC – &unknown; AT&T
                first
                second
                c1 c2
                  keep
                  spacing
                a < b
                """)
    }

    @Test func htmlEdgeCases() {
        #expect(HTMLText.extract(Array("no markup at all".utf8)).text == "no markup at all")
        #expect(HTMLText.extract(Array("<title>unclosed title".utf8)) == ("", "unclosed title"))
        #expect(HTMLText.extract(Array("<script>never closed".utf8)).text == "")
        #expect(HTMLText.extract(Array("&#0;&#xD800;&#x110000;&#99999999999;".utf8)).text == "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(HTMLText.extract(Array("<b>Pat</b>riot<br>next".utf8)).text == "Patriot\nnext")
        #expect(HTMLText.extract(Array("x <".utf8)).text == "x <")
        #expect(HTMLText.extract(Array("<p>a<p>b".utf8)).text == "a\nb")
        // A document without a title takes its first line.
        let doc = TextFormat.html.document(id: "d", bytes: Array("<h1>Big news</h1><p>Body</p>".utf8))
        #expect(doc.title == "Big news")
        #expect(doc.body == "Big news\nBody")
    }

    @Test func titlesOfTheLightMarkupFormats() {
        func title(_ name: String, _ text: String) -> String {
            TextFormat(fileName: name).document(id: name, bytes: Array(text.utf8)).title
        }
        #expect(title("a.rst", ".. _label:\n.. note::\n   indented directive text\n\n:orphan:\n\n######\nParts\n######\n") == "Parts")
        #expect(title("a.rst", "Plain first line\n=================\n") == "Plain first line")
        #expect(title("a.adoc", "// comment\n:toc: left\n= Document Title\nAuthor\n") == "Document Title")
        #expect(title("a.adoc", "////\nblock\n////\n[abstract]\n== Section\n") == "Section")
        #expect(title("a.org", "#+AUTHOR: me\n#+title: Org Title\n* Heading\n") == "Org Title")
        #expect(title("a.org", "# comment\n** Heading two\n") == "Heading two")
        #expect(
            title("a.tex", "\\documentclass{article}\n\\title{The \\emph{Big} Paper\\\\ Part~2}\n\\begin{document}\n")
                == "The Big Paper Part 2")
        #expect(title("a.tex", "% comment\n\\section{x}\nFirst prose line\n") == "First prose line")
        // Markdown: the first heading without its marks (as with front matter), else the first
        // line; text keeps the first line as it is.
        #expect(title("a.md", "# Heading\ntext\n") == "Heading")
        #expect(title("a.md", "[![badge](x.svg)](y)\n\n## Project ##\ntext\n") == "Project")
        #expect(title("a.md", "```\n# not a heading\n```\n") == "```")
        #expect(title("a.markdown", "\n\nFirst\n") == "First")
        #expect(title("a.MKD", "#hashtag line\n") == "#hashtag line")
        #expect(title("a.txt", "# Heading\ntext\n") == "# Heading")
        #expect(TextFormat(fileName: "X.HTM") == .html)
        #expect(TextFormat(fileName: ".rst") == .plain)
        #expect(TextFormat.fileExtension("archive.tar.gz") == "gz")
    }
}
