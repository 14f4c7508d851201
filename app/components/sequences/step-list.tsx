/**
 * The builder's ordered steps. Reordering works three ways: dragging the grip with a mouse or a
 * finger, picking the grip up with the keyboard (Space, arrows, Space; @dnd-kit announces each move),
 * and the plain up/down buttons on every step. The order of the list is the order of the steps.
 */
import type { ReactNode } from "react";
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { ArrowDown, ArrowUp, GripVertical, Trash2 } from "lucide-react";
import { Button } from "~/components/ui/button";
import { useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";
import { moveStep, type StepDraft } from "./builder-model";

export function StepList({
  steps,
  disabled,
  onChange,
  renderStep,
}: {
  steps: StepDraft[];
  disabled: boolean;
  onChange: (steps: StepDraft[]) => void;
  renderStep: (step: StepDraft, index: number) => ReactNode;
}) {
  const t = useT();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 150, tolerance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const position = (id: string | number) => steps.findIndex((s) => s.key === id) + 1;
  const announcements: Announcements = {
    onDragStart: ({ active }) => t("sequences.builder.dnd.start", { n: position(active.id) }),
    onDragOver: ({ active, over }) => (over ? t("sequences.builder.dnd.over", { n: position(active.id), to: position(over.id) }) : undefined),
    onDragEnd: ({ active, over }) => (over ? t("sequences.builder.dnd.end", { n: position(active.id), to: position(over.id) }) : undefined),
    onDragCancel: ({ active }) => t("sequences.builder.dnd.cancel", { n: position(active.id) }),
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onChange(moveStep(steps, steps.findIndex((s) => s.key === active.id), steps.findIndex((s) => s.key === over.id)));
  };

  return (
    <DndContext
      id="sequence-steps"
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t("sequences.builder.dnd.instructions") } }}
    >
      <SortableContext items={steps.map((s) => s.key)} strategy={verticalListSortingStrategy} disabled={disabled}>
        <ol className="grid gap-3" aria-label={t("sequences.builder.steps")}>
          {steps.map((step, index) => (
            <SortableStep
              key={step.key}
              step={step}
              index={index}
              count={steps.length}
              disabled={disabled}
              onMove={(to) => onChange(moveStep(steps, index, to))}
              onRemove={() => onChange(steps.filter((s) => s.key !== step.key))}
            >
              {renderStep(step, index)}
            </SortableStep>
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function SortableStep({
  step,
  index,
  count,
  disabled,
  onMove,
  onRemove,
  children,
}: {
  step: StepDraft;
  index: number;
  count: number;
  disabled: boolean;
  onMove: (to: number) => void;
  onRemove: () => void;
  children: ReactNode;
}) {
  const t = useT();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: step.key, disabled });
  const n = index + 1;
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={cn("rounded-lg border bg-card shadow-sm", isDragging && "relative z-10 shadow-lg ring-2 ring-primary/40")}
      data-testid="sequence-step"
      aria-label={t("sequences.card.stepN", { n })}
    >
      <div className="flex items-center gap-2 border-b px-3 py-2">
        {!disabled ? (
          <button
            type="button"
            ref={setActivatorNodeRef}
            className="flex size-8 cursor-grab touch-none items-center justify-center rounded-md text-muted-foreground hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring active:cursor-grabbing"
            {...attributes}
            {...listeners}
            aria-label={t("sequences.builder.dragStep", { n })}
          >
            <GripVertical className="size-4" />
          </button>
        ) : null}
        <span className="flex size-7 items-center justify-center rounded-full bg-primary/10 text-sm font-semibold text-primary">{n}</span>
        <span className="text-sm font-medium">{t("sequences.card.stepN", { n })}</span>
        {!disabled ? (
          <div className="ml-auto flex items-center gap-1">
            <Button variant="ghost" size="icon" className="size-8" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={t("sequences.builder.moveUp", { n })}>
              <ArrowUp />
            </Button>
            <Button variant="ghost" size="icon" className="size-8" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={t("sequences.builder.moveDown", { n })}>
              <ArrowDown />
            </Button>
            <Button variant="ghost" size="icon" className="size-8 text-destructive" onClick={onRemove} aria-label={t("sequences.builder.removeStep", { n })}>
              <Trash2 />
            </Button>
          </div>
        ) : null}
      </div>
      <div className="p-3 sm:p-4">{children}</div>
    </li>
  );
}
