package org.ldrtestbed.routes.hl7v2;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.netty.NettyConstants;

/**
 * The MLLP listener hospital systems send HL7v2 to. Each message is answered synchronously with the ACK the
 * {@link Hl7v2Ingress} decides; the flows behind it run from their durable queues.
 */
public class Hl7v2ListenerRoute extends RouteBuilder {

    public static final String ROUTE_ID = "hl7v2-listener";

    private final String address;
    private final int port;
    private final Hl7v2Ingress ingress;

    public Hl7v2ListenerRoute(String address, int port, Hl7v2Ingress ingress) {
        this.address = address;
        this.port = port;
        this.ingress = ingress;
    }

    @Override
    public void configure() {
        from("netty:tcp://" + address + ":" + port + "?sync=true&encoders=#hl7encoder&decoders=#hl7decoder")
                .routeId(ROUTE_ID)
                .process(exchange -> {
                    Object peer = exchange.getMessage().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS);
                    exchange.getMessage()
                            .setBody(ingress.accept(
                                    exchange.getMessage().getBody(String.class), peer == null ? null : peer(peer)));
                });
    }

    /** A socket address as {@code host:port}, without the leading slash of an unresolved one. */
    private static String peer(Object address) {
        String text = address.toString();
        return text.startsWith("/") ? text.substring(1) : text;
    }
}
