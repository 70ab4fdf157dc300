import { Navigate, Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../pages/ErrorPages.tsx';

export default function WorkbenchRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="todo" replace />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
