package org.ldrtestbed.scenarios.report;

import java.util.Map;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders reports for people from the Thymeleaf templates under {@code report/} on the classpath: a journey run
 * ({@code journey.html}) and the capability × journey matrix of several runs ({@code matrix.html}).
 */
public final class HtmlReport {

    private final TemplateEngine engine;
    private final CareSystemNames names;
    private final CapabilityNames capabilities;
    private final FlowCatalogue catalogue;

    public HtmlReport(CareSystemNames names, CapabilityNames capabilities, FlowCatalogue catalogue) {
        this.names = names;
        this.capabilities = capabilities;
        this.catalogue = catalogue;
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(HtmlReport.class.getClassLoader());
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setSuffix(".html");
        resolver.setCharacterEncoding("UTF-8");
        engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
    }

    /** With the shipped directory, capability names and flow catalogue. */
    public static HtmlReport standard() {
        return new HtmlReport(
                CareSystemNames.load(), CapabilityNames.load(), FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION));
    }

    public String journey(JourneyResult result) {
        return render("report/journey", JourneyReportView.of(result, names, capabilities, catalogue));
    }

    public String matrix(CapabilityMatrix matrix) {
        return render("report/matrix", matrix);
    }

    public CapabilityNames capabilityNames() {
        return capabilities;
    }

    public CareSystemNames careSystemNames() {
        return names;
    }

    public FlowCatalogue catalogue() {
        return catalogue;
    }

    private String render(String template, Object view) {
        return engine.process(template, new Context(java.util.Locale.UK, Map.of("r", view)));
    }
}
