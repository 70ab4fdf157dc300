import { Navigate, Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../pages/ErrorPages.tsx';

export default function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="departments" replace />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
