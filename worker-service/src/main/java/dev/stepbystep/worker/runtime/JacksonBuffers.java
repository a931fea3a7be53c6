package dev.stepbystep.worker.runtime;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The worker writes each job's result on that job's own virtual thread. Jackson's default
 * buffer pool is per thread, so every job would allocate fresh buffers; a shared pool reuses them.
 */
@Singleton
public class JacksonBuffers implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setRecyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
    }
}
