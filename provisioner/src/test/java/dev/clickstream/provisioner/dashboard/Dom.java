package dev.clickstream.provisioner.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of an HTML reader for the dashboard's own markup as Chromium serializes it: the element with an
 * id, the start tags of a kind inside it with their attributes, and an element's text.
 */
final class Dom {
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"([^\"]*)\"");

    private final String html;

    Dom(String html) {
        this.html = html;
    }

    /** The element with this id, from its start tag to the matching end tag (its kind must not nest in itself). */
    Dom byId(String id) {
        int at = html.indexOf(" id=\"" + id + "\"");
        if (at < 0) {
            throw new AssertionError("no element with id " + id);
        }
        int open = html.lastIndexOf('<', at);
        String tag = html.substring(open + 1).split("[\\s>]", 2)[0];
        int close = html.indexOf("</" + tag + ">", at);
        return new Dom(html.substring(open, close < 0 ? html.length() : close + tag.length() + 3));
    }

    /** The attributes of every {@code <tag ...>} here whose class list holds {@code cssClass} (null: any). */
    List<Map<String, String>> all(String tag, String cssClass) {
        List<Map<String, String>> found = new ArrayList<>();
        Matcher m = Pattern.compile("<" + tag + "(\\s[^>]*)?>").matcher(html);
        while (m.find()) {
            Map<String, String> attributes = attributes(m.group(1) == null ? "" : m.group(1));
            if (cssClass == null || List.of(attributes.getOrDefault("class", "").split(" ")).contains(cssClass)) {
                found.add(attributes);
            }
        }
        return found;
    }

    /** The attributes of the first start tag here: the element's own. */
    Map<String, String> attributes() {
        Matcher m = Pattern.compile("<[a-zA-Z]+(\\s[^>]*)?>").matcher(html);
        return m.find() && m.group(1) != null ? attributes(m.group(1)) : Map.of();
    }

    /** The text inside, tags removed and entities of the serializer decoded. */
    String text() {
        return html.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ")
                .replace("&amp;", "&").trim();
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher a = ATTRIBUTE.matcher(text);
        while (a.find()) {
            attributes.put(a.group(1), a.group(2).replace("&amp;", "&"));
        }
        return attributes;
    }

    @Override
    public String toString() {
        return html;
    }
}
