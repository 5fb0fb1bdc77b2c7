package dev.clickstream.producer.generate;

/** The kinds of events a session produces, in funnel order after the browsing ones. */
public enum EventType {
    PAGE_VIEW("page_view"),
    CLICK("click"),
    SEARCH("search"),
    ADD_TO_CART("add_to_cart"),
    CHECKOUT("checkout"),
    PURCHASE("purchase");

    private final JsonText name;

    EventType(String name) {
        this.name = JsonText.of(name);
    }

    public JsonText jsonName() {
        return name;
    }

    @Override
    public String toString() {
        return name.text();
    }
}
