package io.dualsync.emulator;

import io.vertx.ext.web.Router;

/**
 * A part of an emulator that serves routes (identity, control API, the service's API, event
 * delivery registration). Modules are mounted in a fixed order by {@link EmulatorServer}.
 */
public interface EmulatorModule {
    void mount(Router router);
}
