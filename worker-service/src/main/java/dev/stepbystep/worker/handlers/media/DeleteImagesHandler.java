package dev.stepbystep.worker.handlers.media;

import dev.stepbystep.jobs.TaskDefinition;
import dev.stepbystep.shared.media.MediaStore;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.DeleteImages;
import dev.stepbystep.worker.runtime.JobContext;
import dev.stepbystep.worker.runtime.JobHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/** {@code media.delete_images}: deletes a deleted post's images from the store (a missing one is fine). */
@ApplicationScoped
public class DeleteImagesHandler implements JobHandler<DeleteImages> {

    @Inject
    MediaStore store;

    @Override
    public TaskDefinition<DeleteImages> task() {
        return Tasks.DELETE_IMAGES;
    }

    @Override
    public Object handle(DeleteImages payload, JobContext context) {
        payload.keys().forEach(store::delete);
        return Map.of("deleted", payload.keys().size());
    }
}
