package dev.stepbystep.web;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Paths;

/**
 * The API is served on the seed's paths, with their trailing slashes; the generated document
 * drops them, so they are put back to show clients the URLs to call.
 */
public class OpenApiTrailingSlashes implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        Paths paths = OASFactory.createPaths();
        openAPI.getPaths().getPathItems().forEach((path, item) ->
                paths.addPathItem(path.startsWith("/api/") && !path.endsWith("/") ? path + "/" : path, item));
        openAPI.setPaths(paths);
    }
}
