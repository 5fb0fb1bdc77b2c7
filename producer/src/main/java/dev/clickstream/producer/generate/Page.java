package dev.clickstream.producer.generate;

/** What kind of page an event happens on; the {@code page} field of the event. */
public enum Page {
    HOME("home"),
    CATEGORY("category"),
    PRODUCT("product"),
    SEARCH("search"),
    CART("cart"),
    CHECKOUT("checkout"),
    ORDER_CONFIRMATION("order_confirmation");

    private final JsonText name;

    Page(String name) {
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
